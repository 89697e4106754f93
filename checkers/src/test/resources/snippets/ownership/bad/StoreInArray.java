import dev.panamax.api.*;
class StoreInArray {
  void f(Mempool pool, OwnedPacket[] ring, int i) {
    OwnedPacket p = pool.alloc(64);
    ring[i] = p; // error: ownership.escape
  }
}
