import dev.panamax.api.*;
class StoreInStatic {
  static OwnedPacket cached;
  void f(PacketBatch batch) {
    OwnedPacket p = batch.take();
    cached = p; // error: ownership.escape
  }
}
