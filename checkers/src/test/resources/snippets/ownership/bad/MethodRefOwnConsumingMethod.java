import dev.panamax.api.*;
class MethodRefOwnConsumingMethod {
  private final Mempool pool;

  MethodRefOwnConsumingMethod(Mempool pool) {
    this.pool = pool;
  }

  void drop(@Consumes OwnedPacket p) {
    pool.free(p);
  }

  static void release(@Consumes OwnedPacket p) {
    p.free();
  }

  void run(PacketBatch batch) {
    batch.forEach(this::drop); // error: ownership.borrowed.consumed
    batch.forEach(MethodRefOwnConsumingMethod::release); // error: ownership.borrowed.consumed
  }
}
