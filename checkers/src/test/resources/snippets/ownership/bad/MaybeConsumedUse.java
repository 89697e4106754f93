import dev.panamax.api.*;
class MaybeConsumedUse {
  void f(Mempool pool, PacketBatch batch, boolean c) {
    OwnedPacket p = pool.alloc(64); // error: ownership.leak
    if (c) {
      batch.add(p);
    }
    int n = p.length(); // error: ownership.use.after.consume
  }
}
