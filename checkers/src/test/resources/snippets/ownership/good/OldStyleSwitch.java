import dev.panamax.api.*;
class OldStyleSwitch {
  void run(PacketBatch in, PacketBatch out) {
    OwnedPacket p = in.take();
    switch (p.getUnsignedShort(12)) {
      case 0x0800:
      case 0x86dd:
        out.add(p);
        break;
      default:
        p.free();
        break;
    }
  }
}
