import dev.panamax.api.*;
import java.util.List;
import java.util.Map;
class StoreLentTemporaries {
  private OwnedPacket newest;

  void snapshot(PacketBatch batch, List<OwnedPacket> list, Map<String, OwnedPacket> map, OwnedPacket[] slots) {
    list.add(batch.get(0)); // error: ownership.escape
    map.put("first", batch.get(0)); // error: ownership.escape
    slots[0] = batch.get(1); // error: ownership.escape
    newest = batch.get(batch.size() - 1); // error: ownership.escape
  }
}
