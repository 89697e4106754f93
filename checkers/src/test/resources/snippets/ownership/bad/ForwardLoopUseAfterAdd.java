import dev.panamax.api.*;
class ForwardLoopUseAfterAdd {
  void forward(NetworkDevice rx, NetworkDevice tx, PacketBatch batch) {
    rx.rxBatch(0, batch, 32);
    int n = batch.size();
    for (int i = 0; i < n; i++) {
      OwnedPacket p = batch.take();
      p.putByte(0, (byte) 2);
      batch.add(p);
      p.putByte(1, (byte) 3); // error: ownership.use.after.consume
    }
    tx.txBatch(0, batch);
    batch.freeAll();
  }
}
