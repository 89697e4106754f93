import dev.panamax.api.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
class CollectionLookupsAreReads {
  int check(OwnedPacket p, List<OwnedPacket> seen, Map<OwnedPacket, Integer> counts, Set<Object> set) {
    int hits = 0;
    if (seen.contains(p)) hits++;
    hits += seen.indexOf(p);
    seen.remove(p);
    hits += counts.getOrDefault(p, 0);
    if (counts.containsKey(p)) hits++;
    if (set.contains(p)) hits++;
    Objects.requireNonNull(p);
    List<Integer> lengths = new ArrayList<>();
    lengths.add(p.length());
    p.putByte(0, (byte) hits);
    return hits + lengths.size();
  }

  void batchIsTheOwningContainer(PacketBatch in, PacketBatch out) {
    while (!in.isEmpty()) {
      out.add(in.take());
    }
  }
}
