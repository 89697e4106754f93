import dev.panamax.api.*;
class LeakOnBreak {
  void f(PacketBatch in, PacketBatch out) {
    while (!in.isEmpty()) {
      OwnedPacket p = in.take(); // error: ownership.leak
      if (out.isFull()) {
        break;
      }
      out.add(p);
    }
  }
}
