package dev.panamax.examples;

import dev.panamax.api.Borrowed;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;

/**
 * Forwards packets from one device to another, like ixy-fwd: receive a batch, touch every packet
 * (IPv4: decrement the TTL and patch the header checksum, RFC 1624), transmit, and free what the
 * transmit queue could not take. In hold mode it keeps what the transmit queue refused and sends
 * it first on the next step, receiving nothing new until the batch is out (back-pressure:
 * nothing is dropped here; a receive ring that fills meanwhile makes the device drop, which its
 * counters show). Allocation-free after construction.
 */
public final class Forwarder {
  private final NetworkDevice from;
  private final NetworkDevice to;
  private final PacketBatch batch;
  private final boolean hold;
  private final int queue;
  private final boolean rewrite;
  private long forwarded;
  private long dropped;

  /**
   * Creates a forwarder for one direction.
   *
   * @param from receive side
   * @param to transmit side
   * @param batchSize packets per batch
   */
  public Forwarder(NetworkDevice from, NetworkDevice to, int batchSize) {
    this(from, to, batchSize, false);
  }

  /**
   * Creates a forwarder for one direction that drops or holds what transmit refuses.
   *
   * @param from receive side
   * @param to transmit side
   * @param batchSize packets per batch
   * @param hold keep refused packets and send them first next time, instead of freeing them
   */
  public Forwarder(NetworkDevice from, NetworkDevice to, int batchSize, boolean hold) {
    this(from, to, 0, batchSize, hold, true);
  }

  /**
   * Creates a forwarder for one direction that may leave every frame as it arrived.
   *
   * @param from receive side
   * @param to transmit side
   * @param batchSize packets per batch
   * @param hold keep refused packets and send them first next time, instead of freeing them
   * @param rewrite decrement the IPv4 TTL ({@link #touch}); {@code false} forwards every frame
   *     unchanged, as a transparent bridge does
   */
  public Forwarder(NetworkDevice from, NetworkDevice to, int batchSize, boolean hold,
      boolean rewrite) {
    this(from, to, 0, batchSize, hold, rewrite);
  }

  /**
   * Creates a forwarder for one direction between queue {@code queue} of both devices.
   *
   * @param from receive side
   * @param to transmit side
   * @param queue the receive queue of {@code from} and the transmit queue of {@code to}
   * @param batchSize packets per batch
   * @param hold keep refused packets and send them first next time, instead of freeing them
   * @param rewrite decrement the IPv4 TTL; {@code false} forwards every frame unchanged
   */
  public Forwarder(NetworkDevice from, NetworkDevice to, int queue, int batchSize, boolean hold,
      boolean rewrite) {
    this.from = from;
    this.to = to;
    this.queue = queue;
    this.batch = new PacketBatch(batchSize);
    this.hold = hold;
    this.rewrite = rewrite;
  }

  /**
   * Forwards one batch; in hold mode, first the packets transmit refused last time.
   *
   * @return packets received or, for held packets, transmitted in this step
   */
  public int step() {
    if (!batch.isEmpty()) {
      // Only in hold mode: these were touched when they arrived.
      final int sent = to.txBatch(queue, batch);
      forwarded += sent;
      return sent;
    }
    final int n = from.rxBatch(queue, batch, batch.capacity());
    if (n == 0) {
      return 0;
    }
    if (rewrite) {
      batch.forEach(Forwarder::touch);
    }
    forwarded += to.txBatch(queue, batch);
    if (!hold) {
      dropped += batch.freeAll();
    }
    return n;
  }

  /**
   * Frees the packets hold mode still keeps (at the end, before the devices close) and counts
   * them as dropped.
   *
   * @return how many were freed
   */
  public int discardHeld() {
    final int n = batch.freeAll();
    dropped += n;
    return n;
  }

  /**
   * Decrements the IPv4 TTL with an incremental checksum update; other frames are untouched.
   *
   * @param packet the packet, borrowed
   */
  public static void touch(@Borrowed OwnedPacket packet) {
    if (packet.length() >= 34 && packet.getUnsignedShort(12) == 0x0800) {
      final int ttl = packet.getUnsignedByte(22);
      if (ttl > 1) {
        packet.putByte(22, (byte) (ttl - 1));
        // RFC 1624 eqn. 3 for a decrement of the high byte of the TTL/protocol word.
        final int sum = packet.getUnsignedShort(24) + 0x0100;
        packet.putShort(24, (short) (sum + (sum >>> 16)));
      }
    }
  }

  /**
   * Returns packets transmitted.
   *
   * @return forwarded count
   */
  public long forwarded() {
    return forwarded;
  }

  /**
   * Returns packets freed because the transmit queue was full (in hold mode, only those
   * {@link #discardHeld()} freed at the end).
   *
   * @return dropped count
   */
  public long dropped() {
    return dropped;
  }
}
