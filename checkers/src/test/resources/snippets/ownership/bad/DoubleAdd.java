import dev.panamax.api.*;
class DoubleAdd {
  void f(Mempool pool, PacketBatch batch) {
    OwnedPacket p = pool.alloc(64);
    batch.add(p);
    batch.add(p); // error: ownership.double.consume
  }
}
