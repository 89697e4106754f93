import dev.panamax.api.*;
class ConsumingHelper {
  static void drop(Mempool pool, @Consumes OwnedPacket p) {
    pool.free(p);
  }
  void run(Mempool pool) {
    OwnedPacket p = pool.alloc(60);
    drop(pool, p);
  }
}
