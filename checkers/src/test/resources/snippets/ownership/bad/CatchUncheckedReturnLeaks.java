import dev.panamax.api.*;
class CatchUncheckedReturnLeaks {
  boolean offer(PacketBatch batch, Mempool pool) {
    OwnedPacket p = pool.alloc(64);
    try {
      batch.add(p);
    } catch (IllegalStateException full) {
      return false; // error: ownership.leak
    }
    return true;
  }
}
