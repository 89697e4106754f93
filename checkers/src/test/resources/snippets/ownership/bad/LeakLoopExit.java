import dev.panamax.api.*;
class LeakLoopExit {
  void f(Mempool pool, PacketBatch batch, int n) {
    OwnedPacket p = pool.alloc(64); // error: ownership.leak
    for (int i = 0; i < n; i++) {
      if (!batch.isFull()) {
        batch.add(p);
        break;
      }
    }
  }
}
