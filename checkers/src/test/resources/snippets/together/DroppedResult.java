import dev.panamax.api.*;
class DroppedResult {
  void warm(Mempool pool) {
    pool.alloc(64); // error: IgnoredOwnedPacket, ownership.leak.unassigned
  }
}
