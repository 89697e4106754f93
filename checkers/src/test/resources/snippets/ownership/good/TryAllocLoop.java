import dev.panamax.api.*;
class TryAllocLoop {
  int fill(Mempool pool, PacketBatch out) {
    int n = 0;
    while (!out.isFull()) {
      OwnedPacket p = pool.tryAlloc(60);
      if (p == null) {
        break;
      }
      out.add(p);
      n++;
    }
    return n;
  }
}
