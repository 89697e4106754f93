import dev.panamax.api.*;
class IgnoredTake {
  void f(PacketBatch batch) {
    batch.take(); // error: IgnoredOwnedPacket
    batch.takeLast(); // error: IgnoredOwnedPacket
  }
}
