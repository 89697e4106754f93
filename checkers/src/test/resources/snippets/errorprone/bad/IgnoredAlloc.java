import dev.panamax.api.*;
class IgnoredAlloc {
  void f(Mempool pool) {
    pool.alloc(64); // error: IgnoredOwnedPacket
    pool.tryAlloc(64); // error: IgnoredOwnedPacket
  }
}
