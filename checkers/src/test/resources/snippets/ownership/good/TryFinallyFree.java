import dev.panamax.api.*;
class TryFinallyFree {
  static void parse(OwnedPacket p) {}
  void run(Mempool pool) {
    OwnedPacket p = pool.alloc(64);
    try {
      parse(p);
    } finally {
      p.free();
    }
  }
}
