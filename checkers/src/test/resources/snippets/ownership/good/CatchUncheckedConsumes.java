import dev.panamax.api.*;
class CatchUncheckedConsumes {
  boolean offer(PacketBatch batch, Mempool pool) {
    OwnedPacket p = pool.alloc(64);
    try {
      batch.add(p);
    } catch (IllegalStateException full) {
      p.free();
      return false;
    }
    return true;
  }

  void resize(PacketBatch out, Mempool pool, int length) {
    OwnedPacket p = pool.alloc(64);
    try {
      p.setLength(length);
    } catch (IllegalArgumentException tooLong) {
      p.setLength(64);
    }
    out.add(p);
  }

  void send(NetworkDevice dev, PacketBatch batch, Mempool pool) {
    OwnedPacket p = pool.alloc(64);
    try {
      batch.add(p);
    } catch (RuntimeException e) {
      pool.free(p);
      throw e;
    }
    dev.txBatch(0, batch);
  }

  void uncaughtStaysUnreported(PacketBatch batch, Mempool pool) {
    OwnedPacket p = pool.alloc(64);
    try {
      p.putByte(0, (byte) 1);
    } finally {
      batch.isEmpty();
    }
    batch.add(p);
  }
}
