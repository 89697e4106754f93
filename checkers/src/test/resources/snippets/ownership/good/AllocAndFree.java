import dev.panamax.api.*;
class AllocAndFree {
  void f(Mempool pool) {
    OwnedPacket p = pool.alloc(64);
    p.putByte(0, (byte) 1);
    p.free();
  }
}
