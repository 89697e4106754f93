import dev.panamax.api.*;
class BuilderReturnsPacket {
  OwnedPacket udp(Mempool pool, int payload) {
    OwnedPacket p = pool.alloc(42 + payload);
    p.putShort(12, (short) 0x0800);
    p.putByte(23, (byte) 17);
    return p;
  }
  void send(Mempool pool, PacketBatch out) {
    OwnedPacket p = udp(pool, 18);
    out.add(p);
  }
}
