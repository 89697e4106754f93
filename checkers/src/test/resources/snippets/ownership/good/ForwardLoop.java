import dev.panamax.api.*;
class ForwardLoop {
  void run(NetworkDevice rx, NetworkDevice tx, PacketBatch batch) {
    while (!Thread.currentThread().isInterrupted()) {
      rx.rxBatch(0, batch, batch.remaining());
      tx.txBatch(0, batch);
      batch.freeAll();
    }
  }
}
