import dev.panamax.api.*;
class TemporaryLentToHelper {
  static int checksum(OwnedPacket p) { return p.getUnsignedShort(24); }
  int f(Mempool pool) {
    return checksum(pool.alloc(64)); // error: ownership.leak.unassigned
  }
}
