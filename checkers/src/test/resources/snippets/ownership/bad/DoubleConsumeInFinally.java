import dev.panamax.api.*;
class DoubleConsumeInFinally {
  void f(Mempool pool, PacketBatch batch) {
    OwnedPacket p = pool.alloc(64);
    try {
      batch.add(p);
    } finally {
      p.free(); // error: ownership.double.consume
    }
  }
}
