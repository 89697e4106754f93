import dev.panamax.api.*;
class LoopWithBreakConsumes {
  void run(PacketBatch in, PacketBatch out) {
    while (!in.isEmpty()) {
      OwnedPacket p = in.take();
      if (out.isFull()) {
        p.free();
        break;
      }
      out.add(p);
    }
  }
}
