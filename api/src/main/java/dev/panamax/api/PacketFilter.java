package dev.panamax.api;

/** Decides, for {@link PacketBatch#freeIf(PacketFilter)}, whether a lent packet is dropped. */
@FunctionalInterface
public interface PacketFilter {
  /**
   * Tests one packet without consuming it.
   *
   * @param packet the lent packet
   * @return {@code true} to drop (free) the packet
   */
  boolean test(@Borrowed OwnedPacket packet);
}
