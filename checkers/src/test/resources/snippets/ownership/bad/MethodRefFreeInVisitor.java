import dev.panamax.api.*;
class MethodRefFreeInVisitor {
  void dropAll(PacketBatch batch) {
    batch.forEach(OwnedPacket::free); // error: ownership.borrowed.consumed
  }
}
