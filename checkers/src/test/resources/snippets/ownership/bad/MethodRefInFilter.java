import dev.panamax.api.*;
class MethodRefInFilter {
  private final PacketBatch slow = new PacketBatch(32);

  boolean divert(@Consumes OwnedPacket p) {
    slow.add(p);
    return true;
  }

  void run(PacketBatch batch) {
    batch.freeIf(this::divert); // error: ownership.borrowed.consumed
  }
}
