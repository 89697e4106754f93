import dev.panamax.api.*;
class NullThenAssign {
  void run(Mempool pool, PacketBatch out, boolean big) {
    OwnedPacket p = null;
    if (big) {
      p = pool.alloc(1500);
    } else {
      p = pool.alloc(64);
    }
    out.add(p);
  }
}
