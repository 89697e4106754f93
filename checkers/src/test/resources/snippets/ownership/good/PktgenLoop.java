import dev.panamax.api.*;
class PktgenLoop {
  void run(NetworkDevice dev, Mempool pool, PacketBatch batch, long count) {
    for (long sent = 0; sent < count; ) {
      pool.allocBatch(batch, batch.remaining(), 60);
      batch.forEach(p -> p.putInt(30, 1));
      sent += dev.txBatch(0, batch);
    }
    batch.freeAll();
  }
}
