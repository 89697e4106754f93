import dev.panamax.api.*;
class TernaryChoosesBatch {
  void run(PacketBatch in, PacketBatch small, PacketBatch big) {
    OwnedPacket p = in.take();
    (p.length() < 128 ? small : big).add(p);
  }
}
