import dev.panamax.api.*;
class UseAfterSendInTx {
  void f(NetworkDevice dev, Mempool pool, PacketBatch batch) {
    OwnedPacket p = pool.alloc(60);
    p.putInt(0, 42);
    batch.add(p);
    dev.txBatch(0, batch);
    batch.freeAll();
    p.putInt(0, 43); // error: ownership.use.after.consume
  }
}
