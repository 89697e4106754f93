package dev.panamax.impl.device;

import dev.panamax.api.QueueStats;

/**
 * The software counters of a driver with several queues: packets, bytes and receive errors per
 * queue, each queue's on a cache line of its own (so queue threads do not share lines they
 * write). Each queue's counters are written only by that queue's thread; {@link #stats(int)} and
 * {@link #addTotals(long[])} read them from any thread (plain reads of 64-bit fields, which do
 * not tear on the 64-bit JVMs Panamax runs on, and may lag a little).
 */
public final class QueueCounters {
  /** Longs per queue: 128 bytes, a cache line and its neighbour the prefetcher pairs with it. */
  private static final int STRIDE = 16;
  private static final int RX_PACKETS = 0;
  private static final int RX_BYTES = 1;
  private static final int RX_ERRORS = 2;
  private static final int TX_PACKETS = 3;
  private static final int TX_BYTES = 4;

  private final String address;
  private final int queues;
  private final long[] counters;

  /**
   * Creates zeroed counters.
   *
   * @param address the device, for messages
   * @param queues the larger of its receive and transmit queue counts
   */
  public QueueCounters(String address, int queues) {
    this.address = address;
    this.queues = queues;
    this.counters = new long[queues * STRIDE];
  }

  /**
   * Counts what one receive call on a queue took; only that queue's thread calls it.
   *
   * @param queue the receive queue
   * @param packets packets received
   * @param bytes their bytes
   * @param errors frames the device reported as bad and the driver dropped
   */
  public void received(int queue, long packets, long bytes, long errors) {
    final int c = queue * STRIDE;
    counters[c + RX_PACKETS] += packets;
    counters[c + RX_BYTES] += bytes;
    counters[c + RX_ERRORS] += errors;
  }

  /**
   * Counts what one transmit call on a queue gave to the device; only that queue's thread calls it.
   *
   * @param queue the transmit queue
   * @param packets packets sent
   * @param bytes their bytes
   */
  public void sent(int queue, long packets, long bytes) {
    final int c = queue * STRIDE;
    counters[c + TX_PACKETS] += packets;
    counters[c + TX_BYTES] += bytes;
  }

  /**
   * Returns one queue's counters.
   *
   * @param queue the queue
   * @return its packets and bytes each way
   * @throws IndexOutOfBoundsException naming the device and the valid range
   */
  public QueueStats stats(int queue) {
    if (queue < 0 || queue >= queues) {
      throw new IndexOutOfBoundsException("device " + address + ": queue " + queue
          + " outside [0, " + queues + ")");
    }
    final int c = queue * STRIDE;
    return new QueueStats(queue, counters[c + RX_PACKETS], counters[c + RX_BYTES],
        counters[c + TX_PACKETS], counters[c + TX_BYTES]);
  }

  /**
   * Adds every queue's counters to a device's totals, laid out as {@link
   * BaseDevice#hardwareStats(long[])} describes: rxPackets, rxBytes, txPackets, txBytes,
   * rxErrors, ...
   *
   * @param totals the totals, adjusted in place
   */
  public void addTotals(long[] totals) {
    for (int c = 0; c < counters.length; c += STRIDE) {
      totals[0] += counters[c + RX_PACKETS];
      totals[1] += counters[c + RX_BYTES];
      totals[2] += counters[c + TX_PACKETS];
      totals[3] += counters[c + TX_BYTES];
      totals[4] += counters[c + RX_ERRORS];
    }
  }
}
