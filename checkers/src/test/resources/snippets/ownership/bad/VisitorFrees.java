import dev.panamax.api.*;
class VisitorFrees {
  void f(PacketBatch batch) {
    batch.forEach(p -> {
      if (p.length() < 60) {
        p.free(); // error: ownership.borrowed.consumed
      }
    });
  }
}
