import dev.panamax.api.*;
class EnumSwitchWithoutDefault {
  enum Verdict { FORWARD, DROP }

  void route(PacketBatch in, PacketBatch out, Verdict v) {
    OwnedPacket p = in.take(); // error: ownership.leak
    switch (v) {
      case FORWARD -> out.add(p);
      case DROP -> p.free();
    }
  }
}
