import dev.panamax.api.*;
class AddBorrowedToBatch {
  void copyTo(OwnedPacket p, PacketBatch out) {
    out.add(p); // error: ownership.borrowed.consumed
  }
}
