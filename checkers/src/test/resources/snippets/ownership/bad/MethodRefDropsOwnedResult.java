import dev.panamax.api.*;
import java.util.function.IntConsumer;
class MethodRefDropsOwnedResult {
  void warm(Mempool pool, PacketBatch in) {
    IntConsumer alloc = pool::alloc; // error: ownership.leak.unassigned
    IntConsumer sameAsLambda = n -> pool.alloc(n); // error: ownership.leak.unassigned
    Runnable take = in::take; // error: ownership.leak.unassigned
    alloc.accept(64);
    sameAsLambda.accept(64);
    take.run();
  }
}
