import dev.panamax.api.*;
class CatchFreesOnCheckedFailure {
  static void write(OwnedPacket p) throws java.io.IOException {}
  boolean run(Mempool pool) {
    OwnedPacket p = pool.alloc(64);
    try {
      write(p);
    } catch (java.io.IOException e) {
      p.free();
      return false;
    }
    p.free();
    return true;
  }
}
