import dev.panamax.api.*;
class ExplicitBorrowedParameter {
  static void swapMacs(@Borrowed OwnedPacket p) {
    for (int i = 0; i < 6; i++) {
      byte a = p.getByte(i);
      p.putByte(i, p.getByte(6 + i));
      p.putByte(6 + i, a);
    }
  }
  void run(Mempool pool) {
    OwnedPacket p = pool.alloc(60);
    swapMacs(p);
    p.free();
  }
}
