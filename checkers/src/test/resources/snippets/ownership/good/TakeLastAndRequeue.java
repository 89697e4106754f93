import dev.panamax.api.*;
class TakeLastAndRequeue {
  void run(PacketBatch batch, PacketBatch other) {
    if (!batch.isEmpty()) {
      OwnedPacket last = batch.takeLast();
      other.add(last);
    }
  }
}
