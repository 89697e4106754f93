import dev.panamax.api.*;
class MethodRefConstructorConsumes {
  static final class Holder {
    private @Owned OwnedPacket packet;

    Holder(@Consumes OwnedPacket packet) {
      this.packet = packet;
    }
  }

  void keepAll(PacketBatch batch) {
    batch.forEach(Holder::new); // error: ownership.borrowed.consumed
  }
}
