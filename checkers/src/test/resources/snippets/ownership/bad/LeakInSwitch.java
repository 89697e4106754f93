import dev.panamax.api.*;
class LeakInSwitch {
  void f(PacketBatch in, PacketBatch out, int mode) {
    OwnedPacket p = in.take(); // error: ownership.leak
    switch (mode) {
      case 0 -> out.add(p);
      case 1 -> p.free();
      default -> p.setLength(0);
    }
  }
}
