import dev.panamax.api.*;
class BorrowedPassedToConsumer {
  static void send(PacketBatch out, @Consumes OwnedPacket p) { out.add(p); }
  void f(@Borrowed OwnedPacket p, PacketBatch out) {
    send(out, p); // error: ownership.borrowed.consumed
  }
}
