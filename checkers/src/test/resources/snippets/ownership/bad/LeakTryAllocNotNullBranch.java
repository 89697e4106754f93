import dev.panamax.api.*;
class LeakTryAllocNotNullBranch {
  void f(Mempool pool) {
    OwnedPacket p = pool.tryAlloc(64); // error: ownership.leak
    if (p != null) {
      p.fill(0, 64, (byte) 0xff);
    }
  }
}
