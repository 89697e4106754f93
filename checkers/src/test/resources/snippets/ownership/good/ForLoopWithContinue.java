import dev.panamax.api.*;
class ForLoopWithContinue {
  void run(PacketBatch in, PacketBatch out) {
    int n = in.size();
    for (int i = 0; i < n; i++) {
      OwnedPacket p = in.take();
      if (p.getByte(0) == 0) {
        p.free();
        continue;
      }
      out.add(p);
    }
  }
}
