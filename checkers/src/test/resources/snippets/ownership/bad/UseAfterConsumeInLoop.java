import dev.panamax.api.*;
class UseAfterConsumeInLoop {
  void f(Mempool pool, PacketBatch batch) {
    OwnedPacket p = pool.alloc(64); // error: ownership.leak
    for (int i = 0; i < 3; i++) {
      batch.add(p); // error: ownership.double.consume
    }
  }
}
