import dev.panamax.api.*;
class LeakInCatch {
  static void write(OwnedPacket p) throws java.io.IOException {}
  void f(Mempool pool) {
    OwnedPacket p = pool.alloc(64);
    try {
      write(p);
    } catch (java.io.IOException e) {
      return; // error: ownership.leak
    }
    p.free();
  }
}
