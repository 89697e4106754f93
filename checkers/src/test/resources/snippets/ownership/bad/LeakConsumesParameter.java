import dev.panamax.api.*;
class LeakConsumesParameter {
  void sink(@Consumes OwnedPacket p) { // error: ownership.leak
    System.out.println(p.length());
  }
}
