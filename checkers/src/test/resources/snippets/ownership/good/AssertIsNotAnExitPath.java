import dev.panamax.api.*;
class AssertIsNotAnExitPath {
  void run(PacketBatch in, PacketBatch out) {
    OwnedPacket p = in.take();
    assert p.length() > 0 : "empty packet";
    out.add(p);
  }
}
