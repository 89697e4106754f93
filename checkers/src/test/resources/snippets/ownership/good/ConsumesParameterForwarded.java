import dev.panamax.api.*;
class ConsumesParameterForwarded {
  void sink(@Consumes OwnedPacket p, PacketBatch out) {
    if (p.length() == 0) {
      p.free();
      return;
    }
    out.add(p);
  }
}
