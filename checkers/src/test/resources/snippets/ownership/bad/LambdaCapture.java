import dev.panamax.api.*;
class LambdaCapture {
  Runnable f(Mempool pool) {
    OwnedPacket p = pool.alloc(64);
    Runnable r = () -> p.free(); // error: ownership.escape
    return r;
  }
}
