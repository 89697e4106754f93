import dev.panamax.api.*;
import java.util.List;
class MethodRefBorrowingVisitor {
  static void touch(OwnedPacket p) {
    p.putByte(0, (byte) 1);
  }

  int bytes;

  void count(@Borrowed OwnedPacket p) {
    bytes += p.length();
  }

  boolean isRunt(OwnedPacket p) {
    return p.length() < 60;
  }

  void run(PacketBatch batch, List<OwnedPacket> lent) {
    batch.forEach(MethodRefBorrowingVisitor::touch);
    batch.forEach(this::count);
    batch.forEach(OwnedPacket::length);
    batch.freeIf(this::isRunt);
    lent.forEach(this::count);
  }
}
