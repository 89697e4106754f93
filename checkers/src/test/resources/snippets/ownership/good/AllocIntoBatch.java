import dev.panamax.api.*;
class AllocIntoBatch {
  void f(Mempool pool, PacketBatch batch) {
    OwnedPacket p = pool.alloc(60);
    p.fill(0, 60, (byte) 0);
    batch.add(p);
  }
}
