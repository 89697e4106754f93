import dev.panamax.api.*;
class DoWhileBatch {
  void run(Mempool pool, PacketBatch out, int n) {
    int i = 0;
    do {
      OwnedPacket p = pool.alloc(60);
      p.putInt(0, i);
      out.add(p);
      i++;
    } while (i < n && !out.isFull());
  }
}
