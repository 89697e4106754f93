package dev.panamax.api;

import java.util.Arrays;
import java.util.NoSuchElementException;
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
 */
public final class PacketBatch {
  private final @Nullable OwnedPacket[] packets;
  private int head;
  private int tail;

  /**
   * Creates an empty batch.
   *
   * @param capacity the largest number of packets the batch holds, at least 1
   * @throws IllegalArgumentException if capacity is below 1
   */
  public PacketBatch(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("PacketBatch capacity must be at least 1, got " + capacity);
    }
    this.packets = new OwnedPacket[capacity];
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
   * Lends the packet at a position, counted from the front. The batch keeps ownership.
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
   * Moves a packet into the batch, at the back.
   *
   * @param packet the packet, whose ownership passes to the batch
   * @throws IllegalStateException if the batch is full (the caller keeps ownership)
   */
  public void add(@Consumes OwnedPacket packet) {
    if (tail == packets.length) {
      if (head == 0) {
        throw new IllegalStateException("PacketBatch is full (capacity " + packets.length + ")");
      }
      compact();
    }
    packets[tail++] = packet;
  }

  /**
   * Moves the front packet out of the batch.
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
   * Moves the back packet out of the batch.
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
   * Lends every packet, front to back, to a visitor. Non-capturing lambdas do not allocate.
   *
   * @param visitor receives each packet on loan
   */
  public void forEach(PacketVisitor visitor) {
    for (int i = head; i < tail; i++) {
      final OwnedPacket packet = packets[i];
      assert packet != null;
      visitor.visit(packet);
    }
  }

  /**
   * Frees every packet the filter selects and keeps the others in order.
   *
   * @param filter returns {@code true} for packets to drop
   * @return the number of packets freed
   */
  public int freeIf(PacketFilter filter) {
    int kept = head;
    for (int i = head; i < tail; i++) {
      final OwnedPacket packet = packets[i];
      assert packet != null;
      packets[i] = null;
      if (filter.test(packet)) {
        packet.free();
      } else {
        packets[kept++] = packet;
      }
    }
    final int freed = tail - kept;
    tail = kept;
    if (head == tail) {
      head = 0;
      tail = 0;
    }
    return freed;
  }

  /**
   * Frees every packet in the batch, leaving it empty.
   *
   * @return the number of packets freed
   */
  public int freeAll() {
    final int n = tail - head;
    for (int i = head; i < tail; i++) {
      final OwnedPacket packet = packets[i];
      assert packet != null;
      packets[i] = null;
      packet.free();
    }
    head = 0;
    tail = 0;
    return n;
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
