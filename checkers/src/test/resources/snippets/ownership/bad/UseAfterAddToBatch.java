import dev.panamax.api.*;
class UseAfterAddToBatch {
  void f(Mempool pool, PacketBatch batch) {
    OwnedPacket p = pool.alloc(64);
    batch.add(p);
    p.putByte(0, (byte) 1); // error: ownership.use.after.consume
  }
}
