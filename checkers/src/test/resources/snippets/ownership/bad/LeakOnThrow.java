import dev.panamax.api.*;
class LeakOnThrow {
  void f(Mempool pool, PacketBatch batch) {
    OwnedPacket p = pool.alloc(64);
    if (batch.isFull()) {
      throw new IllegalStateException("full"); // error: ownership.leak
    }
    batch.add(p);
  }
}
