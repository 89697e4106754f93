import dev.panamax.api.*;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Queue;
class StoreBorrowedInQueue {
  private final Deque<OwnedPacket> later = new ArrayDeque<>();

  void defer(@Borrowed OwnedPacket p, Queue<OwnedPacket> q) {
    q.offer(p); // error: ownership.escape
    later.push(p); // error: ownership.escape
    later.addLast(p); // error: ownership.escape
  }
}
