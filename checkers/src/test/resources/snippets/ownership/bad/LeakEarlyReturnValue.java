import dev.panamax.api.*;
class LeakEarlyReturnValue {
  int f(Mempool pool, PacketBatch batch) {
    OwnedPacket p = pool.alloc(64);
    if (p.getUnsignedShort(12) != 0x0800) {
      return -1; // error: ownership.leak
    }
    batch.add(p);
    return 0;
  }
}
