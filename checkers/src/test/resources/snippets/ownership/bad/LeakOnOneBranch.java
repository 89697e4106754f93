import dev.panamax.api.*;
class LeakOnOneBranch {
  void f(Mempool pool, boolean c) {
    OwnedPacket p = pool.alloc(64); // error: ownership.leak
    if (c) {
      p.free();
    }
  }
}
