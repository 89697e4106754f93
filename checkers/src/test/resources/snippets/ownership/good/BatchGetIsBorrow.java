import dev.panamax.api.*;
class BatchGetIsBorrow {
  int run(PacketBatch batch) {
    int sum = 0;
    for (int i = 0; i < batch.size(); i++) {
      OwnedPacket p = batch.get(i);
      sum += p.length();
    }
    return sum;
  }
}
