import dev.panamax.api.*;
class BorrowingHelper {
  static boolean isIpv4(OwnedPacket p) {
    return p.length() >= 34 && p.getUnsignedShort(12) == 0x0800;
  }
  void run(PacketBatch in, PacketBatch out) {
    while (!in.isEmpty()) {
      OwnedPacket p = in.take();
      if (isIpv4(p)) {
        out.add(p);
      } else {
        p.free();
      }
    }
  }
}
