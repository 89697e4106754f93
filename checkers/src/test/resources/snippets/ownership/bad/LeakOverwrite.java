import dev.panamax.api.*;
class LeakOverwrite {
  void f(Mempool pool) {
    OwnedPacket p = pool.alloc(64);
    p = pool.alloc(128); // error: ownership.leak
    p.free();
  }
}
