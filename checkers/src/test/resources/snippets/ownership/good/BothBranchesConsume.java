import dev.panamax.api.*;
class BothBranchesConsume {
  void run(Mempool pool, PacketBatch out, boolean keep) {
    OwnedPacket p = pool.alloc(64);
    if (keep) {
      out.add(p);
    } else {
      p.free();
    }
  }
}
