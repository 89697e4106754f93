import dev.panamax.api.*;
class SwitchConsumesEveryCase {
  void run(PacketBatch in, PacketBatch a, PacketBatch b, Mempool pool) {
    OwnedPacket p = in.take();
    switch (p.getUnsignedByte(23)) {
      case 6 -> a.add(p);
      case 17 -> b.add(p);
      default -> pool.free(p);
    }
  }
}
