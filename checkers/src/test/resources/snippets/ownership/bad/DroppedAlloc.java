import dev.panamax.api.*;
class DroppedAlloc {
  void f(Mempool pool) {
    pool.alloc(64); // error: ownership.leak.unassigned
  }
}
