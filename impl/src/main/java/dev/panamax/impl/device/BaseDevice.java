package dev.panamax.impl.device;

import dev.panamax.api.DeviceStats;
import dev.panamax.api.NetworkDevice;

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
  private Runnable afterClose = () -> {};

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
