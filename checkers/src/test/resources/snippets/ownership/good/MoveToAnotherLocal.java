import dev.panamax.api.*;
class MoveToAnotherLocal {
  void run(Mempool pool, PacketBatch out) {
    OwnedPacket p = pool.alloc(64);
    OwnedPacket q = p;
    q.putByte(0, (byte) 1);
    out.add(q);
  }
}
