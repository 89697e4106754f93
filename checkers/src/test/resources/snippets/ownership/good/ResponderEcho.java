import dev.panamax.api.*;
class ResponderEcho {
  static void swap(OwnedPacket p) {
    for (int i = 0; i < 6; i++) {
      byte t = p.getByte(i);
      p.putByte(i, p.getByte(i + 6));
      p.putByte(i + 6, t);
    }
  }
  void run(NetworkDevice dev, PacketBatch in, PacketBatch out) {
    dev.rxBatch(0, in, 32);
    while (!in.isEmpty() && !out.isFull()) {
      OwnedPacket p = in.take();
      swap(p);
      out.add(p);
    }
    in.freeAll();
    dev.txBatch(0, out);
  }
}
