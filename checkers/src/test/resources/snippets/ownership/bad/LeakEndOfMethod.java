import dev.panamax.api.*;
class LeakEndOfMethod {
  void f(Mempool pool) {
    OwnedPacket p = pool.alloc(64); // error: ownership.leak
    p.putByte(0, (byte) 1);
  }
}
