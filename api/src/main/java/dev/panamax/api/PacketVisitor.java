package dev.panamax.api;

/** Receives packets lent by {@link PacketBatch#forEach(PacketVisitor)}. */
@FunctionalInterface
public interface PacketVisitor {
  /**
   * Visits one packet. The packet is borrowed: read and write its bytes, but do not free, send
   * or keep it.
   *
   * @param packet the lent packet
   */
  void visit(@Borrowed OwnedPacket packet);
}
