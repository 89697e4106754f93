import dev.panamax.api.*;
class ArrayInitializer {
  void f(Mempool pool) {
    OwnedPacket p = pool.alloc(64);
    OwnedPacket[] all = {p}; // error: ownership.escape
  }
}
