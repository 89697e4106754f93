import dev.panamax.api.*;
class UseAfterMove {
  void f(Mempool pool) {
    OwnedPacket p = pool.alloc(64);
    OwnedPacket q = p;
    p.fill(0, 10, (byte) 0); // error: ownership.use.after.consume
    q.free();
  }
}
