import dev.panamax.api.*;
class MethodRefOwnedSource {
  interface Source {
    OwnedPacket next();
  }

  interface Peek {
    @Borrowed
    OwnedPacket at(int i);
  }

  void run(PacketBatch in, PacketBatch out, Mempool pool) {
    Source take = in::take;
    Source fresh = () -> pool.alloc(64);
    Peek peek = in::get;
    peek.at(0).putByte(0, (byte) 1);
    out.add(take.next());
    fresh.next().free();
  }
}
