import dev.panamax.api.*;
class CatchUncheckedInLoop {
  void forward(PacketBatch in, PacketBatch out) {
    while (!in.isEmpty()) {
      OwnedPacket p = in.take(); // error: ownership.leak
      try {
        out.add(p);
      } catch (IllegalStateException full) {
        continue;
      }
    }
  }
}
