import dev.panamax.api.*;
class EnhancedForLeak {
  void f(Mempool pool, int[] lengths, PacketBatch out) {
    for (int len : lengths) {
      OwnedPacket p = pool.alloc(len); // error: ownership.leak
      if (len > 0) {
        out.add(p);
      }
    }
  }
}
