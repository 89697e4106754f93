import dev.panamax.api.*;
import java.util.List;
import java.util.Set;
class StoreOwnedInCollection {
  void pool(Mempool pool, Set<OwnedPacket> spare, List<OwnedPacket> list) {
    OwnedPacket p = pool.alloc(64);
    spare.add(p); // error: ownership.escape
    list.add(pool.alloc(64)); // error: ownership.escape
  }
}
