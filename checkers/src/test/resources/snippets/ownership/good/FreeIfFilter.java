import dev.panamax.api.*;
class FreeIfFilter {
  int run(PacketBatch batch) {
    return batch.freeIf(p -> p.getUnsignedShort(12) == 0x86dd);
  }
}
