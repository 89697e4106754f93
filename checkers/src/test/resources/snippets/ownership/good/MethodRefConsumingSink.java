import dev.panamax.api.*;
class MethodRefConsumingSink {
  interface Sink {
    void accept(@Consumes OwnedPacket p);
  }

  static void release(@Consumes OwnedPacket p) {
    p.free();
  }

  void run(Mempool pool, PacketBatch out) {
    Sink toPool = pool::free;
    Sink free = OwnedPacket::free;
    Sink toBatch = out::add;
    Sink helper = MethodRefConsumingSink::release;
    toPool.accept(pool.alloc(60));
    free.accept(pool.alloc(60));
    toBatch.accept(pool.alloc(60));
    helper.accept(pool.alloc(60));
  }
}
