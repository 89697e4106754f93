import dev.panamax.api.*;
class StoreInField {
  private OwnedPacket last;
  void f(Mempool pool) {
    OwnedPacket p = pool.alloc(64);
    last = p; // error: ownership.escape
  }
}
