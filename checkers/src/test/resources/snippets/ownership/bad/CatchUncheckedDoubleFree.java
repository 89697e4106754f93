import dev.panamax.api.*;
class CatchUncheckedDoubleFree {
  void offer(PacketBatch batch, Mempool pool) {
    OwnedPacket p = pool.alloc(64);
    try {
      batch.add(p);
    } catch (IllegalStateException full) {
      p.free();
    }
    pool.free(p); // error: ownership.double.consume
  }
}
