package dev.panamax.api;

import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A fixed-capacity, reusable, allocation-free queue of owned packets.
 *
 * <p>The batch owns the packets it holds. {@link NetworkDevice#rxBatch} appends received
 * packets; {@link NetworkDevice#txBatch} removes, from the front, the packets the device
 * accepted and leaves the rest in the batch, still owned by the caller. {@link #get(int)} and
 * {@link #forEach(PacketVisitor)} lend packets without moving them; {@link #add} and
 * {@link #take()} move ownership in and out.
 *
 * <p>Packets keep their order: first in, first out. A batch is meant to live as long as the
 * loop that uses it; it never allocates after construction. Not thread-safe.
 *
 * <p>Exception safety: every method leaves the batch consistent and usable when it throws, and
 * never loses or duplicates a packet. {@link #add}, {@link #take()}, {@link #takeLast()},
 * {@link #get}, {@link #forEach} and a {@link #freeIf} whose filter throws change nothing
 * (strong guarantee). {@link #freeAll()} and the freeing part of {@link #freeIf} always finish:
 * a packet whose {@link OwnedPacket#free()} throws (a handle already consumed elsewhere, e.g.
 * freed by a visitor) is dropped from the batch, every other packet is freed, and the first
 * such exception is rethrown at the end with later ones attached as suppressed.
 */
public final class PacketBatch {
  /** The largest capacity: as many packets as the largest mempool holds. */
  public static final int MAX_CAPACITY = Mempool.MAX_ENTRY_COUNT;

  private final @Nullable OwnedPacket[] packets;
  /** {@link #freeIf}'s decisions, one bit per slot, taken before anything is freed. */
  private final long[] selected;
  private int head;
  private int tail;

  /**
   * Creates an empty batch.
   *
   * @param capacity the largest number of packets the batch holds, from 1 to {@link
   *     #MAX_CAPACITY}
   * @throws IllegalArgumentException if capacity is outside that range
   */
  public PacketBatch(int capacity) {
    if (capacity < 1 || capacity > MAX_CAPACITY) {
      throw new IllegalArgumentException("PacketBatch capacity " + capacity
          + ": must be between 1 and " + MAX_CAPACITY + " (Mempool.MAX_ENTRY_COUNT)");
    }
    this.packets = new OwnedPacket[capacity];
    this.selected = new long[(capacity + 63) >>> 6];
  }

  /**
   * Returns the capacity given at construction.
   *
   * @return the largest number of packets the batch holds
   */
  public int capacity() {
    return packets.length;
  }

  /**
   * Returns the number of packets held.
   *
   * @return the current size
   */
  public int size() {
    return tail - head;
  }

  /**
   * Returns how many more packets fit.
   *
   * @return {@code capacity() - size()}
   */
  public int remaining() {
    return packets.length - (tail - head);
  }

  /**
   * Tells whether the batch holds no packet.
   *
   * @return {@code true} if empty
   */
  public boolean isEmpty() {
    return tail == head;
  }

  /**
   * Tells whether the batch is full.
   *
   * @return {@code true} if no packet fits
   */
  public boolean isFull() {
    return tail - head == packets.length;
  }

  /**
   * Lends the packet at a position, counted from the front. The batch keeps ownership. Changes
   * nothing.
   *
   * @param index 0 for the front, up to {@code size() - 1}
   * @return the lent packet
   * @throws IndexOutOfBoundsException if index is outside the batch
   */
  @Borrowed
  public OwnedPacket get(int index) {
    final int size = tail - head;
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("PacketBatch index " + index + " outside [0, " + size + ")");
    }
    final OwnedPacket packet = packets[head + index];
    assert packet != null;
    return packet;
  }

  /**
   * Moves a packet into the batch, at the back. Strong guarantee: when it throws, the batch is
   * unchanged and the caller still owns the packet.
   *
   * @param packet the packet, whose ownership passes to the batch
   * @throws IllegalStateException if the batch is full
   * @throws NullPointerException if packet is null
   */
  public void add(@Consumes OwnedPacket packet) {
    Objects.requireNonNull(packet, "PacketBatch.add(null): a batch holds packets, not null");
    if (tail == packets.length) {
      if (head == 0) {
        throw new IllegalStateException("PacketBatch is full (capacity " + packets.length + ")");
      }
      compact();
    }
    packets[tail++] = packet;
  }

  /**
   * Moves the front packet out of the batch. Strong guarantee.
   *
   * @return the packet, now owned by the caller
   * @throws NoSuchElementException if the batch is empty
   */
  @Owned
  public OwnedPacket take() {
    if (head == tail) {
      throw new NoSuchElementException("PacketBatch is empty");
    }
    final OwnedPacket packet = packets[head];
    packets[head++] = null;
    if (head == tail) {
      head = 0;
      tail = 0;
    }
    assert packet != null;
    return packet;
  }

  /**
   * Moves the back packet out of the batch. Strong guarantee.
   *
   * @return the packet, now owned by the caller
   * @throws NoSuchElementException if the batch is empty
   */
  @Owned
  public OwnedPacket takeLast() {
    if (head == tail) {
      throw new NoSuchElementException("PacketBatch is empty");
    }
    final OwnedPacket packet = packets[--tail];
    packets[tail] = null;
    if (head == tail) {
      head = 0;
      tail = 0;
    }
    assert packet != null;
    return packet;
  }

  /**
   * Lends every packet, front to back, to a visitor. Non-capturing lambdas do not allocate. The
   * batch itself is unchanged, also when the visitor throws (the exception propagates and the
   * remaining packets are not visited).
   *
   * @param visitor receives each packet on loan; it must not add, take or free packets of this
   *     batch
   * @throws ConcurrentModificationException if the visitor added or removed packets of this
   *     batch (the batch stays consistent; what the visitor did stands)
   */
  public void forEach(PacketVisitor visitor) {
    Objects.requireNonNull(visitor, "PacketBatch.forEach(null)");
    final int first = head;
    final int end = tail;
    for (int i = first; i < end; i++) {
      final OwnedPacket packet = packets[i];
      assert packet != null;
      visitor.visit(packet);
      if (head != first || tail != end) {
        throw modifiedDuring("forEach");
      }
    }
  }

  /**
   * Frees every packet the filter selects and keeps the others in order. The filter sees every
   * packet first and only then are the selected ones freed.
   *
   * <p>Strong guarantee for the filter: if it throws, nothing was freed and the batch is
   * unchanged. Freeing then always finishes, as in {@link #freeAll()}: a selected packet whose
   * {@code free()} throws is dropped from the batch, the others are freed, the unselected ones
   * stay in order, and the first exception is rethrown.
   *
   * @param filter returns {@code true} for packets to drop; it must not add, take or free
   *     packets of this batch
   * @return the number of packets freed
   * @throws ConcurrentModificationException if the filter added or removed packets of this
   *     batch (nothing is freed)
   */
  public int freeIf(PacketFilter filter) {
    Objects.requireNonNull(filter, "PacketBatch.freeIf(null)");
    final int first = head;
    final int end = tail;
    int count = 0;
    for (int i = first; i < end; i++) {
      final OwnedPacket packet = packets[i];
      assert packet != null;
      final boolean drop = filter.test(packet);
      if (head != first || tail != end) {
        throw modifiedDuring("freeIf");
      }
      mark(i, drop);
      if (drop) {
        count++;
      }
    }
    return count == 0 ? 0 : freeSelected();
  }

  /**
   * Frees every packet in the batch, leaving it empty. Always finishes: a packet whose {@code
   * free()} throws (a handle consumed elsewhere: freed, sent) is dropped from the batch, every
   * other packet is freed, and the first exception is rethrown at the end (later ones are
   * attached as suppressed). The batch is empty afterwards in every case.
   *
   * @return the number of packets freed
   */
  public int freeAll() {
    int freed = 0;
    @Nullable RuntimeException failure = null;
    // head advances before each free(), so the batch is consistent at every step.
    while (head < tail) {
      final OwnedPacket packet = packets[head];
      packets[head++] = null;
      assert packet != null;
      try {
        packet.free();
        freed++;
      } catch (RuntimeException e) {
        failure = firstOf(failure, e);
      }
    }
    head = 0;
    tail = 0;
    if (failure != null) {
      throw failure;
    }
    return freed;
  }

  /** Frees the slots {@link #freeIf} marked and closes the gaps; keeps the others in order. */
  private int freeSelected() {
    int kept = head;
    int freed = 0;
    int i = head;
    @Nullable RuntimeException failure = null;
    try {
      for (; i < tail; i++) {
        final OwnedPacket packet = packets[i];
        assert packet != null;
        packets[i] = null;
        if (!isMarked(i)) {
          packets[kept++] = packet;
          continue;
        }
        try {
          packet.free();
          freed++;
        } catch (RuntimeException e) {
          failure = firstOf(failure, e);
        }
      }
    } finally {
      // After an Error from free(): slot i is dropped, the unvisited rest moves down.
      final int rest = i < tail ? tail - i - 1 : 0;
      if (rest > 0) {
        System.arraycopy(packets, i + 1, packets, kept, rest);
        Arrays.fill(packets, kept + rest, tail, null);
      }
      tail = kept + rest;
      if (head == tail) {
        head = 0;
        tail = 0;
      }
    }
    if (failure != null) {
      throw failure;
    }
    return freed;
  }

  private void mark(int slot, boolean drop) {
    final long bit = 1L << slot;
    if (drop) {
      selected[slot >>> 6] |= bit;
    } else {
      selected[slot >>> 6] &= ~bit;
    }
  }

  private boolean isMarked(int slot) {
    return (selected[slot >>> 6] & (1L << slot)) != 0;
  }

  private static RuntimeException firstOf(@Nullable RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  private ConcurrentModificationException modifiedDuring(String operation) {
    return new ConcurrentModificationException("PacketBatch." + operation
        + ": the callback added or removed packets of the batch it was called from");
  }

  private void compact() {
    final int n = tail - head;
    System.arraycopy(packets, head, packets, 0, n);
    Arrays.fill(packets, n, tail, null);
    head = 0;
    tail = n;
  }

  @Override
  public String toString() {
    return "PacketBatch[size=" + size() + ", capacity=" + capacity() + "]";
  }
}
