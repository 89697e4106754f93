import dev.panamax.api.*;
class FilterDropsSome {
  void run(PacketBatch in, PacketBatch out) {
    while (!in.isEmpty()) {
      OwnedPacket p = in.take();
      if (p.length() < 60 || p.getUnsignedShort(12) != 0x0800) {
        p.free();
        continue;
      }
      out.add(p);
    }
  }
}
