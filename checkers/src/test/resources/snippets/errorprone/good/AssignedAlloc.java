import dev.panamax.api.*;
class AssignedAlloc {
  void f(Mempool pool, PacketBatch batch) {
    OwnedPacket p = pool.alloc(64);
    batch.add(p);
    batch.add(pool.alloc(60));
    batch.get(0);
    pool.alloc(60).free();
  }
}
