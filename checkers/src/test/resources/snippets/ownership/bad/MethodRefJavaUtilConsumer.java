import dev.panamax.api.*;
import java.util.List;
import java.util.function.BiConsumer;
class MethodRefJavaUtilConsumer {
  void drain(List<OwnedPacket> list, Mempool pool) {
    list.forEach(OwnedPacket::free); // error: ownership.borrowed.consumed
    list.stream().filter(p -> p.length() < 60).forEach(pool::free); // error: ownership.borrowed.consumed
    BiConsumer<Mempool, OwnedPacket> release = Mempool::free; // error: ownership.borrowed.consumed
  }
}
