import dev.panamax.api.*;
class FreeBorrowedParameter {
  void inspect(OwnedPacket p) {
    if (p.length() == 0) {
      p.free(); // error: ownership.borrowed.consumed
    }
  }
}
