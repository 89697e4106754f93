import dev.panamax.api.*;
class ReassignAfterConsume {
  void run(Mempool pool, PacketBatch out) {
    OwnedPacket p = pool.alloc(64);
    out.add(p);
    p = pool.alloc(64);
    p.free();
  }
}
