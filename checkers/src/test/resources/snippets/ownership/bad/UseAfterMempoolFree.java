import dev.panamax.api.*;
class UseAfterMempoolFree {
  void f(Mempool pool) {
    OwnedPacket p = pool.alloc(64);
    pool.free(p);
    p.setLength(10); // error: ownership.use.after.consume
  }
}
