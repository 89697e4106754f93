import dev.panamax.api.*;
class MethodRefCapturesPacket {
  Runnable later(Mempool pool) {
    OwnedPacket p = pool.alloc(60);
    return p::free; // error: ownership.escape
  }

  void inVisitor(PacketBatch batch, java.util.List<Runnable> tasks) {
    batch.forEach(q -> tasks.add(q::length)); // error: ownership.escape
  }
}
