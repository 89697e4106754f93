import dev.panamax.api.*;
class ForwardWithPartialTxRetry {
  void run(NetworkDevice rx, NetworkDevice tx, PacketBatch batch, int retries) {
    rx.rxBatch(0, batch, 32);
    int attempts = 0;
    while (!batch.isEmpty() && attempts < retries) {
      tx.txBatch(0, batch);
      attempts++;
    }
    batch.freeAll();
  }
}
