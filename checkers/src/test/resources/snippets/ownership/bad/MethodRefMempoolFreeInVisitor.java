import dev.panamax.api.*;
class MethodRefMempoolFreeInVisitor {
  void dropAll(PacketBatch batch, Mempool pool) {
    batch.forEach(pool::free); // error: ownership.borrowed.consumed
  }
}
