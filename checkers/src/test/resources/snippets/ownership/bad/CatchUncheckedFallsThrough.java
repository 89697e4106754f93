import dev.panamax.api.*;
class CatchUncheckedFallsThrough {
  int dropped;

  void offer(PacketBatch batch, Mempool pool) {
    OwnedPacket p = pool.alloc(64); // error: ownership.leak
    try {
      batch.add(p);
    } catch (IllegalStateException | NullPointerException e) {
      dropped++;
    }
  }
}
