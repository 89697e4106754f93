import dev.panamax.api.*;
class OwnedFieldSlot {
  private @Owned OwnedPacket pending;
  void park(@Consumes OwnedPacket p) {
    pending = p;
  }
}
