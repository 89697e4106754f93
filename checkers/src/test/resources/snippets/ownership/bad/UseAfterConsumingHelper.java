import dev.panamax.api.*;
class UseAfterConsumingHelper {
  static void send(PacketBatch out, @Consumes OwnedPacket p) {
    out.add(p);
  }
  void f(Mempool pool, PacketBatch out) {
    OwnedPacket p = pool.alloc(64);
    send(out, p);
    System.out.println(p.length()); // error: ownership.use.after.consume
  }
}
