import dev.panamax.api.*;
class BuilderLeaksOnError {
  OwnedPacket arpRequest(Mempool pool, byte[] mac) {
    OwnedPacket p = pool.alloc(42);
    if (mac.length != 6) {
      throw new IllegalArgumentException("bad mac"); // error: ownership.leak
    }
    p.copyFrom(6, mac, 0, 6);
    return p;
  }
}
