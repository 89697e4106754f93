import dev.panamax.api.*;
class NotAttributed {
  void drop(Mempool pool) {
    OwnedPacket p = pool.allocate(64); // error: javac.compiler.err.cant.resolve.location.args
    p.free();
    p.free();
  }
}
