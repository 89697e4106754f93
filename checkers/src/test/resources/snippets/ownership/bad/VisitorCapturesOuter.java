import dev.panamax.api.*;
class VisitorCapturesOuter {
  void f(PacketBatch batch, OwnedPacket header) {
    batch.forEach(p -> p.putByte(0, header.getByte(0))); // error: ownership.escape
  }
}
