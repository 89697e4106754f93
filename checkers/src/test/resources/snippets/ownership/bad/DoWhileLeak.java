import dev.panamax.api.*;
class DoWhileLeak {
  void f(Mempool pool, int n) {
    int i = 0;
    do {
      OwnedPacket p = pool.alloc(64); // error: ownership.leak
      p.setLength(i);
      i++;
    } while (i < n);
  }
}
