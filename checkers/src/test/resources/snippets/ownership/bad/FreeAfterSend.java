import dev.panamax.api.*;
class FreeAfterSend {
  void f(NetworkDevice dev, Mempool pool, PacketBatch batch) {
    OwnedPacket p = pool.alloc(64);
    batch.add(p);
    dev.txBatch(0, batch);
    pool.free(p); // error: ownership.double.consume
  }
}
