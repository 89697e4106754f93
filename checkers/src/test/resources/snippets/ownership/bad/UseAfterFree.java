import dev.panamax.api.*;
class UseAfterFree {
  int f(Mempool pool) {
    OwnedPacket p = pool.alloc(64);
    p.free();
    return p.length(); // error: ownership.use.after.consume
  }
}
