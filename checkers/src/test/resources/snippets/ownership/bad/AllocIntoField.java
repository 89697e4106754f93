import dev.panamax.api.*;
class AllocIntoField {
  private OwnedPacket template;
  void init(Mempool pool) {
    template = pool.alloc(64); // error: ownership.escape
  }
}
