import dev.panamax.api.*;
class DriverLoopIntoRing {
  static final class Ring {
    private final OwnedPacket[] slots = new OwnedPacket[256];
    private int tail;

    /** The sanctioned owning container: it stores packets in an array by design. */
    @SuppressWarnings("ownership")
    void put(@Consumes OwnedPacket p) {
      slots[tail++ & 255] = p;
    }
  }

  void drain(PacketBatch batch, Ring ring) {
    while (!batch.isEmpty()) {
      OwnedPacket p = batch.take();
      p.setLength(Math.min(p.length(), 1514));
      ring.put(p);
    }
  }
}
