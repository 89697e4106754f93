import dev.panamax.api.*;
class BothTools {
  void refill(PacketBatch batch, Mempool pool) {
    batch.take(); // error: IgnoredOwnedPacket, ownership.leak.unassigned
  }

  void keep(PacketBatch batch) {
    batch.forEach(OwnedPacket::free); // error: ownership.borrowed.consumed
  }
}
