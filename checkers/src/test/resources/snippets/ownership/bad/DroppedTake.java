import dev.panamax.api.*;
class DroppedTake {
  void f(PacketBatch batch) {
    if (!batch.isEmpty()) {
      batch.take(); // error: ownership.leak.unassigned
    }
  }
}
