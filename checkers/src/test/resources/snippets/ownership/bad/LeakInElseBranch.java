import dev.panamax.api.*;
class LeakInElseBranch {
  void f(Mempool pool, PacketBatch batch) {
    OwnedPacket p = pool.alloc(64); // error: ownership.leak
    if (p.length() > 60) {
      batch.add(p);
    } else {
      p.setLength(60);
    }
  }
}
