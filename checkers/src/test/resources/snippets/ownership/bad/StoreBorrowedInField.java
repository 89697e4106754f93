import dev.panamax.api.*;
class StoreBorrowedInField {
  private OwnedPacket seen;
  void f(OwnedPacket p) {
    this.seen = p; // error: ownership.escape
  }
}
