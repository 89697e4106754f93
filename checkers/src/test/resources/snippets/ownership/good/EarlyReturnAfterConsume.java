import dev.panamax.api.*;
class EarlyReturnAfterConsume {
  int run(Mempool pool, PacketBatch out) {
    OwnedPacket p = pool.alloc(64);
    if (out.isFull()) {
      p.free();
      return 0;
    }
    out.add(p);
    return 1;
  }
}
