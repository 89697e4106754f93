import dev.panamax.api.*;
class ReturnBorrowed {
  OwnedPacket first(PacketBatch batch) {
    OwnedPacket p = batch.get(0);
    return p; // error: ownership.borrowed.consumed
  }
}
