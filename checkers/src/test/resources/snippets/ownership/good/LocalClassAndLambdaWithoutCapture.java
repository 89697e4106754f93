import dev.panamax.api.*;
class LocalClassAndLambdaWithoutCapture {
  void run(PacketBatch batch, Mempool pool) {
    PacketFilter runts = p -> p.length() < 60;
    batch.freeIf(runts);
    OwnedPacket p = pool.alloc(64);
    p.free();
  }
}
