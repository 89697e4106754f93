package dev.panamax.examples;

import dev.panamax.api.NetworkDevice;
import dev.panamax.api.PacketBatch;

/**
 * Receives packets and writes each one to a {@link PcapWriter}, then frees it. Every packet of a
 * received batch gets the same timestamp, taken when the batch arrived. Allocation-free after
 * construction.
 */
public final class PacketCapture {
  private final NetworkDevice device;
  private final PcapWriter writer;
  private final PacketBatch batch;
  private final EpochClock clock;

  /**
   * Creates a capture loop.
   *
   * @param device where to receive
   * @param writer where records go
   * @param batchSize packets per batch
   * @param clock where timestamps come from
   */
  public PacketCapture(NetworkDevice device, PcapWriter writer, int batchSize, EpochClock clock) {
    this.device = device;
    this.writer = writer;
    this.batch = new PacketBatch(batchSize);
    this.clock = clock;
  }

  /**
   * Receives one batch of at most {@code max} packets and writes it. A round that receives
   * nothing writes what is still buffered to the file, so the file is current whenever the
   * link is quiet.
   *
   * @param max the largest number of packets to take from the device
   * @return packets captured in this step
   */
  public int step(long max) {
    final int n = device.rxBatch(0, batch, (int) Math.min(batch.capacity(), max));
    if (n == 0) {
      writer.flush();
      return 0;
    }
    final long micros = clock.micros();
    for (int i = 0; i < n; i++) {
      writer.write(batch.get(i), micros);
    }
    batch.freeAll();
    return n;
  }
}
