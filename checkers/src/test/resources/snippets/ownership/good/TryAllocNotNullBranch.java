import dev.panamax.api.*;
class TryAllocNotNullBranch {
  void run(Mempool pool, PacketBatch out) {
    OwnedPacket p = pool.tryAlloc(64);
    if (p != null) {
      p.fill(0, 64, (byte) 0);
      out.add(p);
    }
  }
}
