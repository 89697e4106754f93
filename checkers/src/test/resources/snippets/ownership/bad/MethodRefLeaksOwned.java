import dev.panamax.api.*;
class MethodRefLeaksOwned {
  interface Sink {
    void accept(@Consumes OwnedPacket p);
  }

  static void inspect(OwnedPacket p) {
    p.putByte(0, (byte) 0);
  }

  int count;

  void tally(OwnedPacket p) {
    count += p.length();
  }

  void run(Mempool pool) {
    Sink s = MethodRefLeaksOwned::inspect; // error: ownership.leak
    Sink t = this::tally; // error: ownership.leak
    s.accept(pool.alloc(60));
    t.accept(pool.alloc(60));
  }
}
