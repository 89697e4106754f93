import dev.panamax.api.*;
class CatchUncheckedRethrows {
  void send(NetworkDevice dev, PacketBatch batch, Mempool pool) {
    OwnedPacket p = pool.alloc(64);
    try {
      batch.add(p);
      dev.txBatch(0, batch);
    } catch (RuntimeException e) {
      throw new IllegalStateException("send failed", e); // error: ownership.leak
    }
  }
}
