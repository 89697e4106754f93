import dev.panamax.api.*;
class UncheckedExceptionsAreNotLeaks {
  static void validate(OwnedPacket p) {
    if (p.length() < 14) throw new IllegalArgumentException("runt");
  }
  void run(Mempool pool, PacketBatch out) {
    OwnedPacket p = pool.alloc(64);
    validate(p);
    out.add(p);
  }
}
