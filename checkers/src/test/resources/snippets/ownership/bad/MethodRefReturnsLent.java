import dev.panamax.api.*;
class MethodRefReturnsLent {
  interface Pick {
    OwnedPacket at(int i);
  }

  void run(PacketBatch batch) {
    Pick byRef = batch::get; // error: ownership.borrowed.consumed
    Pick byLambda = i -> batch.get(i); // error: ownership.borrowed.consumed
    byRef.at(0).free();
    byLambda.at(1).free();
  }

  OwnedPacket first(PacketBatch batch) {
    return batch.get(0); // error: ownership.borrowed.consumed
  }
}
