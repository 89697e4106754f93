import dev.panamax.api.*;
class LeakOnContinue {
  void f(PacketBatch in, PacketBatch out) {
    for (int i = 0; i < 32 && !in.isEmpty(); i++) {
      OwnedPacket p = in.take(); // error: ownership.leak
      if (p.getByte(0) == 0) {
        continue;
      }
      out.add(p);
    }
  }
}
