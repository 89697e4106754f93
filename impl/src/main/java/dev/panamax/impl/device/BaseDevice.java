package dev.panamax.impl.device;

import dev.panamax.api.DeviceException;
import dev.panamax.api.DeviceOptions;
import dev.panamax.api.DeviceStats;
import dev.panamax.api.PacketBatch;
import dev.panamax.api.QueueStats;
import dev.panamax.impl.mempool.UserThread;
import dev.panamax.impl.observe.DeviceEvents;
import dev.panamax.impl.observe.MonitoredDevice;
import dev.panamax.impl.observe.QueueFigures;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Counters, queue-index checks and the closed flag every device shares.
 *
 * <p>Counters are plain fields written by the thread that drives the queues; call {@link
 * #stats()} on that thread (the example apps do, once a second). Hardware drivers add what the
 * NIC's own statistics registers report in {@link #hardwareStats(long[])}.
 *
 * <p>Hardware drivers also call {@link #watch()} at the start of every rxBatch and txBatch: at
 * most every {@value #WATCH_INTERVAL_NS} ns it reads the device's status register ({@link
 * #probeLink()}). The data path does not read the clock for this: one daemon thread,
 * {@code panamax-watch}, counts {@value #WATCH_INTERVAL_NS} ns ticks, and a call looks at the
 * device when the count moved since its last look (in a VM whose clock source traps, as the test
 * bed's hpet does, each clock read is a system call plus a trapped timer read). A link that went down makes transmit push back (accept nothing) until it is
 * up again; a device that stops answering (removed from the bus, or failed: its registers read
 * all ones) makes every later rxBatch and txBatch throw a {@link DeviceException}, and close
 * then neither waits for it nor writes to it.
 */
public abstract class BaseDevice implements MonitoredDevice {
  private final String address;
  /** How often {@link #awaitReceive} checks a device without receive interrupts. */
  private static final long POLL_INTERVAL_NANOS = 100_000;

  private final String driverName;
  private String dmaDescription = "no DMA: an in-memory device";
  private BooleanSupplier removalRequested = () -> false;
  private final int rxQueues;
  private final int txQueues;
  /** The one thread that may use each queue, and the queue's name for its message. */
  private final UserThread[] rxUsers;
  private final UserThread[] txUsers;
  private final String[] rxLabels;
  private final String[] txLabels;
  private boolean closed;
  private Runnable afterClose = () -> {};

  /** How often, at most, the data path reads the device's status (ns). */
  public static final long WATCH_INTERVAL_NS = 10_000_000L;

  /** The {@link WatchTicker} count at the last look; the first call always looks. */
  private long lastWatchTick = -1;
  private boolean linkUp = true;
  private @Nullable String goneReason;

  /** Packets received; written only by the receiving thread. */
  protected long rxPackets;
  /** Bytes received. */
  protected long rxBytes;
  /** Packets transmitted (accepted by the device). */
  protected long txPackets;
  /** Bytes transmitted. */
  protected long txBytes;
  /** Receive errors. */
  protected long rxErrors;
  /** Transmit errors. */
  protected long txErrors;
  /** Frames dropped on receive. */
  protected long rxDropped;
  /** Frames dropped on transmit. */
  protected long txDropped;

  /**
   * Creates the base.
   *
   * @param address canonical device spec
   * @param driverName the driver family name
   * @param rxQueues number of receive queues
   * @param txQueues number of transmit queues
   */
  protected BaseDevice(String address, String driverName, int rxQueues, int txQueues) {
    this.address = address;
    this.driverName = driverName;
    this.rxQueues = rxQueues;
    this.txQueues = txQueues;
    this.rxUsers = new UserThread[rxQueues];
    this.txUsers = new UserThread[txQueues];
    this.rxLabels = new String[rxQueues];
    this.txLabels = new String[txQueues];
    for (int q = 0; q < rxQueues; q++) {
      rxUsers[q] = new UserThread();
      rxLabels[q] = "device " + address + " rx queue " + q;
    }
    for (int q = 0; q < txQueues; q++) {
      txUsers[q] = new UserThread();
      txLabels[q] = "device " + address + " tx queue " + q;
    }
  }

  /**
   * Lets other threads take over the queues and the device's own receive pools: the thread that
   * next uses a queue becomes its user. Runs once when the device is opened (the opening thread
   * filled the receive rings) and whenever the application hands queues over.
   */
  @Override
  public final void releaseThreads() {
    for (UserThread user : rxUsers) {
      user.release();
    }
    for (UserThread user : txUsers) {
      user.release();
    }
    releaseOwnUsers();
  }

  /** Releases the user thread of what else the device owns (its receive pools, a link). */
  protected void releaseOwnUsers() {}

  /**
   * Checks a receive queue index and that the device is open.
   *
   * @param queue the index
   */
  protected final void checkRxQueue(int queue) {
    if (closed || queue < 0 || queue >= rxQueues) {
      throw queueError("rx", queue, rxQueues);
    }
  }

  /**
   * Checks that the calling thread is the queue's user (claiming a queue without one).
   *
   * @param queue a valid receive queue
   * @param operation the operation, for the message
   */
  protected final void checkRxUser(int queue, String operation) {
    rxUsers[queue].check(rxLabels[queue], operation);
  }

  /**
   * Checks the arguments of {@link #rxBatch}: the queue index, that the device is open, the
   * batch and the packet count. Integer comparisons only; nothing is touched when it throws.
   *
   * @param queue the receive queue
   * @param batch the batch to append to
   * @param max the largest number of packets wanted
   * @throws IllegalArgumentException if max is negative
   */
  protected final void checkRxBatch(int queue, PacketBatch batch, int max) {
    checkRxQueue(queue);
    rxUsers[queue].check(rxLabels[queue], "rxBatch");
    Objects.requireNonNull(batch, "rxBatch: batch must not be null");
    if (max < 0) {
      throw new IllegalArgumentException(
          "device " + address + ": rxBatch max " + max + ": must be at least 0");
    }
  }

  /**
   * Checks the arguments of {@link #txBatch}: the queue index, that the device is open and the
   * batch.
   *
   * @param queue the transmit queue
   * @param batch the packets to send
   */
  protected final void checkTxBatch(int queue, PacketBatch batch) {
    checkTxQueue(queue);
    txUsers[queue].check(txLabels[queue], "txBatch");
    Objects.requireNonNull(batch, "txBatch: batch must not be null");
  }

  /**
   * Refuses queue counts a driver cannot honour, before it touches the device.
   *
   * @param spec the device spec, for the message
   * @param options the requested options
   * @param driver the driver's name
   * @param maxRx the receive queues the driver drives
   * @param maxTx the transmit queues the driver drives
   * @throws DeviceException naming the count and the driver's limit
   */
  public static void checkQueueCounts(
      String spec, DeviceOptions options, String driver, int maxRx, int maxTx) {
    if (options.rxQueues() > maxRx) {
      throw queueCountError(spec, "rxQueues", options.rxQueues(), driver, maxRx, "receive");
    }
    if (options.txQueues() > maxTx) {
      throw queueCountError(spec, "txQueues", options.txQueues(), driver, maxTx, "transmit");
    }
  }

  private static DeviceException queueCountError(
      String spec, String option, int count, String driver, int max, String kind) {
    return new DeviceException(spec, "check options", option + " " + count
        + ": must be between 1 and " + max + " (the " + driver + " driver drives " + max + " "
        + kind + (max == 1 ? " queue)" : " queues)"));
  }

  /**
   * Checks a transmit queue index and that the device is open.
   *
   * @param queue the index
   */
  protected final void checkTxQueue(int queue) {
    if (closed || queue < 0 || queue >= txQueues) {
      throw queueError("tx", queue, txQueues);
    }
  }

  private RuntimeException queueError(String kind, int queue, int count) {
    if (closed) {
      return new IllegalStateException("device " + address + " is closed");
    }
    return new IndexOutOfBoundsException(
        "device " + address + ": " + kind + " queue " + queue + " outside [0, " + count + ")");
  }

  /**
   * Reads the device's link state from its status register, without allocating. A driver that
   * finds the device no longer answering calls {@link #deviceGone(String)} and returns false.
   * The default, for devices without hardware, is a link that is always up.
   *
   * @return whether the link is up
   */
  protected boolean probeLink() {
    return true;
  }

  /**
   * For hardware drivers, first thing in rxBatch and txBatch: reads the status at most every
   * {@value #WATCH_INTERVAL_NS} ns.
   *
   * @return whether the link was up at the last look; transmit accepts nothing while it is down
   * @throws DeviceException once the device stopped answering
   */
  protected final boolean watch() {
    final long tick = WatchTicker.ticks();
    if (tick != lastWatchTick) {
      lastWatchTick = tick;
      look();
    }
    if (goneReason != null) {
      throw goneException();
    }
    return linkUp;
  }

  /**
   * Counts {@value #WATCH_INTERVAL_NS} ns ticks on one daemon thread, {@code panamax-watch},
   * started with the first hardware device's first rxBatch or txBatch. The count is written by
   * that thread only and read with opaque semantics: a data-path call sees a new tick soon after
   * it happened, and costs one load.
   */
  private static final class WatchTicker {
    private static final AtomicLong TICKS = new AtomicLong();

    static {
      Thread.ofPlatform().daemon().name("panamax-watch").start(() -> {
        long t = 0;
        while (true) {
          LockSupport.parkNanos(WATCH_INTERVAL_NS);
          TICKS.setOpaque(++t);
        }
      });
    }

    private WatchTicker() {}

    static long ticks() {
      return TICKS.getOpaque();
    }
  }

  /**
   * Reads the status now (link state and whether the device still answers).
   *
   * @return {@code false} once the device is gone
   */
  protected final boolean look() {
    if (goneReason == null && removalRequested.getAsBoolean()) {
      deviceGone("the kernel asked for it back: it is being removed");
    }
    if (goneReason == null) {
      final boolean up = probeLink();
      if (goneReason == null && up != linkUp) {
        linkUp = up;
        DeviceEvents.linkChanged(this, up);
      }
    }
    return goneReason == null;
  }

  /**
   * Lets the periodic status check ask whether the kernel wants the device back (VFIO's device
   * request on hot removal); PCI drivers call it once while opening.
   *
   * @param asked tells whether it was asked for
   */
  public final void watchRemoval(BooleanSupplier asked) {
    removalRequested = asked;
  }

  /**
   * Records that the device no longer answers; every later rxBatch and txBatch throws.
   *
   * @param evidence what showed it, e.g. "STATUS reads 0xffffffff"
   */
  protected final void deviceGone(String evidence) {
    if (goneReason == null) {
      goneReason = evidence;
      linkUp = false;
      DeviceEvents.gone(this, evidence);
    }
  }

  /**
   * Tells whether the device stopped answering.
   *
   * @return {@code true} after {@link #deviceGone(String)}
   */
  protected final boolean isGone() {
    return goneReason != null;
  }

  /**
   * Returns the link state seen by the last {@link #look()} or {@link #watch()}.
   *
   * @return whether the link was up
   */
  protected final boolean lastLinkUp() {
    return linkUp;
  }

  private DeviceException goneException() {
    return new DeviceException(address, "check device", "the device stopped answering ("
        + goneReason + "): it was removed from the bus or failed; close it (nothing is written"
        + " to it any more)");
  }

  /**
   * Lets a hardware driver add counters read from its statistics registers. The array holds,
   * in order: rxPackets, rxBytes, txPackets, txBytes, rxErrors, txErrors, rxDropped, txDropped;
   * the default adds nothing.
   *
   * @param counters the software counters, to be adjusted in place
   */
  protected void hardwareStats(long[] counters) {}

  /**
   * Lets a hardware driver add the statistics register totals it has already read, without
   * reading the registers: the part of {@link #hardwareStats(long[])} that is safe on a
   * monitoring thread. Same array layout; the default adds nothing.
   *
   * @param counters the software counters, to be adjusted in place
   */
  protected void hardwareTotals(long[] counters) {}

  /**
   * Returns the counters for a monitoring thread (JFR, JMX, metrics): the driver's own counters
   * as last written by the queue threads, plus the hardware totals read by the last {@link
   * #stats()} on the data thread. Never touches the device; on in-memory devices it equals
   * {@link #stats()}.
   */
  @Override
  public final DeviceStats monitorStats() {
    final long[] c = {rxPackets, rxBytes, txPackets, txBytes, rxErrors, txErrors, rxDropped, txDropped};
    hardwareTotals(c);
    return new DeviceStats(address, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], System.nanoTime());
  }

  /** The default reports rings of size 0 and no pool. */
  @Override
  public QueueFigures queueFigures(int queue) {
    return new QueueFigures(queue, 0, 0, 0, 0, null);
  }

  @Override
  public boolean monitorLinkUp() {
    return !closed && linkUp;
  }

  @Override
  public final DeviceStats stats() {
    final long[] c = {rxPackets, rxBytes, txPackets, txBytes, rxErrors, txErrors, rxDropped, txDropped};
    hardwareStats(c);
    return new DeviceStats(address, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], System.nanoTime());
  }

  /** One-queue devices: queue 0's counters are the device's software counters. */
  @Override
  public QueueStats queueStats(int queue) {
    if (queue != 0) {
      throw new IndexOutOfBoundsException("device " + address + ": queue " + queue + " outside [0, 1)");
    }
    return new QueueStats(0, rxPackets, rxBytes, txPackets, txBytes);
  }

  @Override
  public final int rxQueueCount() {
    return rxQueues;
  }

  @Override
  public final int txQueueCount() {
    return txQueues;
  }

  @Override
  public final String driverName() {
    return driverName;
  }

  /**
   * Waits by polling {@link #rxReady(int)} every 100 µs with short sleeps in between; drivers
   * with receive interrupts override it.
   */
  @Override
  public boolean awaitReceive(int queue, int timeoutMillis) {
    checkRxQueue(queue);
    checkRxUser(queue, "awaitReceive");
    if (timeoutMillis < 0) {
      throw new IllegalArgumentException(address + ": awaitReceive: timeout " + timeoutMillis
          + " ms must not be negative");
    }
    final long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (!rxReady(queue)) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      LockSupport.parkNanos(POLL_INTERVAL_NANOS);
    }
    return true;
  }

  /**
   * Tells whether receive queue {@code queue} has packets waiting; {@code true} when a device
   * cannot tell, so that callers poll.
   *
   * @param queue a valid receive queue
   * @return {@code true} if {@code rxBatch} would return packets
   */
  protected boolean rxReady(int queue) {
    return true;
  }

  @Override
  public final String dmaDescription() {
    return dmaDescription;
  }

  /**
   * Records how the device reaches memory, for {@link #dmaDescription()}; PCI drivers call it
   * once while opening.
   *
   * @param description e.g. "DMA through the IOMMU (vfio-pci, IOMMU group 3)"
   */
  public final void describeDma(String description) {
    dmaDescription = description;
  }

  @Override
  public final String address() {
    return address;
  }

  /**
   * Tells whether {@link #close()} has run.
   *
   * @return {@code true} once closed
   */
  protected final boolean isClosed() {
    return closed;
  }

  @Override
  public final void close() {
    if (!closed) {
      closed = true;
      try {
        release();
      } finally {
        afterClose.run();
      }
    }
  }

  /**
   * Adds an action that runs once on close, after {@link #release()} (also when it throws),
   * e.g. giving up the device's claim.
   *
   * @param action runs after the device is stopped
   */
  public final void runAfterClose(Runnable action) {
    final Runnable before = afterClose;
    afterClose = () -> {
      try {
        before.run();
      } finally {
        action.run();
      }
    };
  }

  /** Stops the device and returns every buffer it holds to its pool; runs once. */
  protected abstract void release();

  @Override
  public String toString() {
    return driverName + " device " + address;
  }
}
