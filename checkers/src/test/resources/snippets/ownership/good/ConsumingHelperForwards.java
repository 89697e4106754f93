import dev.panamax.api.*;
class ConsumingHelperForwards {
  static void enqueue(PacketBatch out, @Consumes OwnedPacket p) {
    if (out.isFull()) {
      p.free();
    } else {
      out.add(p);
    }
  }
}
