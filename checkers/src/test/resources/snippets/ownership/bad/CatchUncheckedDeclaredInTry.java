import dev.panamax.api.*;
class CatchUncheckedDeclaredInTry {
  boolean fill(PacketBatch batch, Mempool pool, byte[] payload) {
    try {
      OwnedPacket p = pool.alloc(64); // error: ownership.leak
      p.setLength(payload.length);
      batch.add(p);
      return true;
    } catch (IndexOutOfBoundsException | IllegalStateException e) {
      return false;
    }
  }
}
