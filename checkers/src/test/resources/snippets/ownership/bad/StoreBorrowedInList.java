import dev.panamax.api.*;
import java.util.List;
class StoreBorrowedInList {
  void remember(OwnedPacket p, List<OwnedPacket> seen) {
    seen.add(p); // error: ownership.escape
    seen.add(0, p); // error: ownership.escape
    seen.set(1, p); // error: ownership.escape
  }

  void collect(PacketBatch batch, List<OwnedPacket> seen) {
    batch.forEach(p -> seen.add(p)); // error: ownership.escape
  }
}
