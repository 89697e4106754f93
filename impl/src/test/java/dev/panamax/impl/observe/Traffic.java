package dev.panamax.impl.observe;

import dev.panamax.api.Mempool;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;

/** Sends packets of varying length from one in-memory device end to the other. */
final class Traffic {
  private Traffic() {}

  /**
   * Sends {@code count} packets from {@code from}, receives them on {@code to}, and keeps the last
   * {@code kept} received packets in {@code held} (owned, not freed).
   */
  static void run(Mempool pool, NetworkDevice from, NetworkDevice to, int count, PacketBatch held) {
    final PacketBatch tx = new PacketBatch(32);
    final PacketBatch rx = new PacketBatch(32);
    int sent = 0;
    int received = 0;
    while (received < count) {
      while (sent < count && !tx.isFull()) {
        tx.add(pool.alloc(60 + sent % 1000));
        sent++;
      }
      from.txBatch(0, tx);
      to.rxBatch(0, rx, rx.capacity());
      while (!rx.isEmpty()) {
        final OwnedPacket p = rx.take();
        received++;
        if (received > count - held.capacity()) {
          held.add(p);
        } else {
          p.free();
        }
      }
    }
  }
}
