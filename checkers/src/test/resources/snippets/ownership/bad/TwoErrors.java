import dev.panamax.api.*;
class TwoErrors {
  void f(Mempool pool, PacketBatch batch) {
    OwnedPacket a = pool.alloc(64);
    OwnedPacket b = pool.alloc(64); // error: ownership.leak
    batch.add(a);
    a.free(); // error: ownership.double.consume
  }
}
