import dev.panamax.api.*;
class FreedTwice {
  void drop(Mempool pool) {
    OwnedPacket p = pool.alloc(64);
    p.free();
    p.free(); // error: ownership.double.consume
  }
}
