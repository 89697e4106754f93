import dev.panamax.api.*;
class ConditionalFreeThenReturn {
  void run(PacketBatch in, PacketBatch out, Mempool pool) {
    if (in.isEmpty()) {
      return;
    }
    OwnedPacket p = in.take();
    if (p.length() > 1514) {
      pool.free(p);
      return;
    }
    out.add(p);
  }
}
