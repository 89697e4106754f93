import dev.panamax.api.*;
class FreeBatchGet {
  void f(PacketBatch batch) {
    OwnedPacket first = batch.get(0);
    first.free(); // error: ownership.borrowed.consumed
  }
}
