import dev.panamax.api.*;
class TryAllocNullCheck {
  boolean run(Mempool pool, PacketBatch out) {
    OwnedPacket p = pool.tryAlloc(64);
    if (p == null) {
      return false;
    }
    out.add(p);
    return true;
  }
}
