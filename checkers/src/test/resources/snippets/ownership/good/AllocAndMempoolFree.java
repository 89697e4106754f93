import dev.panamax.api.*;
class AllocAndMempoolFree {
  void f(Mempool pool) {
    OwnedPacket p = pool.alloc(64);
    pool.free(p);
  }
}
