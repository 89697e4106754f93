import dev.panamax.api.*;
class DoubleFree {
  void f(Mempool pool) {
    OwnedPacket p = pool.alloc(64);
    p.free();
    p.free(); // error: ownership.double.consume
  }
}
