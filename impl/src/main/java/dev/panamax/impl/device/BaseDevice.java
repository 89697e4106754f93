package dev.panamax.impl.device;

import dev.panamax.api.DeviceException;
import dev.panamax.api.DeviceOptions;
import dev.panamax.api.DeviceStats;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.PacketBatch;
import java.util.Objects;

/**
 * Counters, queue-index checks and the closed flag every device shares.
 *
 * <p>Counters are plain fields written by the thread that drives the queues; call {@link
 * #stats()} on that thread (the example apps do, once a second). Hardware drivers add what the
 * NIC's own statistics registers report in {@link #hardwareStats(long[])}.
 */
public abstract class BaseDevice implements NetworkDevice {
  private final String address;
  private final String driverName;
  private final int rxQueues;
  private final int txQueues;
  private boolean closed;

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
  }

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
   * Lets a hardware driver add counters read from its statistics registers. The array holds,
   * in order: rxPackets, rxBytes, txPackets, txBytes, rxErrors, txErrors, rxDropped, txDropped;
   * the default adds nothing.
   *
   * @param counters the software counters, to be adjusted in place
   */
  protected void hardwareStats(long[] counters) {}

  @Override
  public final DeviceStats stats() {
    final long[] c = {rxPackets, rxBytes, txPackets, txBytes, rxErrors, txErrors, rxDropped, txDropped};
    hardwareStats(c);
    return new DeviceStats(address, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], System.nanoTime());
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
      release();
    }
  }

  /** Stops the device and returns every buffer it holds to its pool; runs once. */
  protected abstract void release();

  @Override
  public String toString() {
    return driverName + " device " + address;
  }
}
