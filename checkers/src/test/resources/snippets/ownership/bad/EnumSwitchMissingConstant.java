import dev.panamax.api.*;
class EnumSwitchMissingConstant {
  enum Verdict { FORWARD, MIRROR, DROP }

  void route(PacketBatch in, PacketBatch out, Verdict v) {
    OwnedPacket p = in.take(); // error: ownership.leak
    switch (v) {
      case FORWARD -> out.add(p);
      case DROP -> p.free();
    }
  }
}
