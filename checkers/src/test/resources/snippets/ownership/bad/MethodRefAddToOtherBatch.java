import dev.panamax.api.*;
class MethodRefAddToOtherBatch {
  void copy(PacketBatch in, PacketBatch out) {
    in.forEach(out::add); // error: ownership.borrowed.consumed
  }
}
