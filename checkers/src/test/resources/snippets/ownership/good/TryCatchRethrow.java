import dev.panamax.api.*;
class TryCatchRethrow {
  static void write(OwnedPacket p) throws java.io.IOException {}
  void run(Mempool pool) throws java.io.IOException {
    OwnedPacket p = pool.alloc(64);
    try {
      write(p);
    } catch (java.io.IOException e) {
      p.free();
      throw e;
    }
    p.free();
  }
}
