import dev.panamax.api.*;
class DoubleConsumeOnBranch {
  void f(Mempool pool, boolean c) {
    OwnedPacket p = pool.alloc(64);
    if (c) {
      p.free();
    }
    p.free(); // error: ownership.double.consume
  }
}
