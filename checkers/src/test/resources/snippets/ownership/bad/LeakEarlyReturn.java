import dev.panamax.api.*;
class LeakEarlyReturn {
  void f(Mempool pool, PacketBatch batch) {
    OwnedPacket p = pool.alloc(64);
    if (batch.isFull()) {
      return; // error: ownership.leak
    }
    batch.add(p);
  }
}
