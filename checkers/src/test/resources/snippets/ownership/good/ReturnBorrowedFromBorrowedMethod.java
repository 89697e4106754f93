import dev.panamax.api.*;
class ReturnBorrowedFromBorrowedMethod {
  @Borrowed OwnedPacket first(PacketBatch batch) {
    return batch.get(0);
  }
  int len(PacketBatch batch) {
    return first(batch).length();
  }
}
