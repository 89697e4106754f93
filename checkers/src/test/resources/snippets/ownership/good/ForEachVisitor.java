import dev.panamax.api.*;
class ForEachVisitor {
  long total;
  void run(PacketBatch batch) {
    batch.forEach(p -> p.putByte(0, (byte) 0xff));
    batch.forEach(p -> total += p.length());
  }
}
