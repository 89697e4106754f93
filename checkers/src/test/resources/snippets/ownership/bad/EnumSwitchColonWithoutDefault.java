import dev.panamax.api.*;
class EnumSwitchColonWithoutDefault {
  enum Verdict { FORWARD, MIRROR, DROP }

  void route(PacketBatch in, PacketBatch out, Verdict v) {
    OwnedPacket p = in.take(); // error: ownership.leak
    switch (v) {
      case FORWARD:
        out.add(p);
        break;
      case MIRROR:
      case DROP:
        p.free();
        break;
    }
  }
}
