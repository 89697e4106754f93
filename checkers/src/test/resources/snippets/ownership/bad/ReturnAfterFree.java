import dev.panamax.api.*;
class ReturnAfterFree {
  OwnedPacket f(Mempool pool) {
    OwnedPacket p = pool.alloc(64);
    p.free();
    return p; // error: ownership.double.consume
  }
}
