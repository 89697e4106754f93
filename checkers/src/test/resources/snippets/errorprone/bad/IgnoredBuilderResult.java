import dev.panamax.api.*;
class IgnoredBuilderResult {
  OwnedPacket build(Mempool pool) { return pool.alloc(60); }
  void f(Mempool pool) {
    build(pool); // error: IgnoredOwnedPacket
  }
}
