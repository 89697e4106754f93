import dev.panamax.api.*;
class LeakOnCheckedException {
  static void log(String s) throws java.io.IOException {}
  void f(Mempool pool, PacketBatch batch) throws java.io.IOException {
    OwnedPacket p = pool.alloc(64);
    log("allocated"); // error: ownership.leak
    batch.add(p);
  }
}
