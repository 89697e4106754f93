import dev.panamax.api.*;
class BuilderReturnsAfterFree {
  @Owned OwnedPacket build(Mempool pool) {
    OwnedPacket p = pool.alloc(60);
    if (p.capacity() < 60) {
      p.free();
    }
    return p; // error: ownership.double.consume
  }
}
