import dev.panamax.api.*;
class LeakInLoopIteration {
  void f(PacketBatch in, PacketBatch out) {
    while (!in.isEmpty()) {
      OwnedPacket p = in.take(); // error: ownership.leak
      if (p.length() >= 60) {
        out.add(p);
      }
    }
  }
}
