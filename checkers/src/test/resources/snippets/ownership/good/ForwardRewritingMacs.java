import dev.panamax.api.*;
class ForwardRewritingMacs {
  void run(NetworkDevice rx, NetworkDevice tx, PacketBatch in, PacketBatch out) {
    rx.rxBatch(0, in, 32);
    while (!in.isEmpty()) {
      OwnedPacket p = in.take();
      p.putByte(0, (byte) 0x02);
      out.add(p);
    }
    tx.txBatch(0, out);
    out.freeAll();
  }
}
