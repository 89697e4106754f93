import dev.panamax.api.*;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
class StoreBorrowedViaFactories {
  List<OwnedPacket> wrap(OwnedPacket p, List<OwnedPacket> all) {
    Collections.addAll(all, p); // error: ownership.escape
    all.addAll(Set.of(p)); // error: ownership.escape
    List<OwnedPacket> one = Arrays.asList(p); // error: ownership.escape
    return List.of(p); // error: ownership.escape
  }
}
