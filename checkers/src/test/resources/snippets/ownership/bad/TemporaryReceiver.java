import dev.panamax.api.*;
class TemporaryReceiver {
  int f(Mempool pool) {
    return pool.alloc(64).capacity(); // error: ownership.leak.unassigned
  }
}
