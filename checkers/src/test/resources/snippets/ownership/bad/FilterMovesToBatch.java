import dev.panamax.api.*;
class FilterMovesToBatch {
  void f(PacketBatch batch, PacketBatch dropped) {
    batch.freeIf(p -> {
      dropped.add(p); // error: ownership.borrowed.consumed
      return false;
    });
  }
}
