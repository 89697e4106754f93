import dev.panamax.api.*;
class BuilderFreesOnError {
  OwnedPacket build(Mempool pool, byte[] mac) {
    OwnedPacket p = pool.alloc(42);
    if (mac.length != 6) {
      p.free();
      throw new IllegalArgumentException("bad mac");
    }
    p.copyFrom(6, mac, 0, 6);
    return p;
  }
}
