import dev.panamax.api.*;
import java.util.HashMap;
import java.util.Map;
class StoreBorrowedInMap {
  private final Map<Integer, OwnedPacket> byPort = new HashMap<>();

  void index(OwnedPacket p) {
    byPort.put(p.getUnsignedShort(36), p); // error: ownership.escape
    byPort.putIfAbsent(0, p); // error: ownership.escape
    Map.Entry<Integer, OwnedPacket> e = Map.entry(1, p); // error: ownership.escape
  }
}
