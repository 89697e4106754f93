import dev.panamax.api.*;
class NestedTryFinally {
  static void log(String s) throws java.io.IOException {}
  void run(Mempool pool, PacketBatch out) throws java.io.IOException {
    OwnedPacket p = pool.alloc(64);
    try {
      try {
        p.putByte(0, (byte) 1);
      } finally {
        out.add(p);
      }
    } finally {
      log("done");
    }
  }
}
