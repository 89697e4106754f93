import dev.panamax.api.*;
class OwnedAnnotatedBuilder {
  @Owned OwnedPacket arp(Mempool pool, byte[] mac) {
    OwnedPacket p = pool.alloc(42);
    p.copyFrom(6, mac, 0, 6);
    return p;
  }
  void send(Mempool pool, PacketBatch out, byte[] mac) {
    out.add(arp(pool, mac));
  }
}
