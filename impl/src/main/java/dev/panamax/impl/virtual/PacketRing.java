package dev.panamax.impl.virtual;

import dev.panamax.api.Consumes;
import dev.panamax.api.Owned;
import dev.panamax.impl.mempool.PacketBuffer;
import org.jspecify.annotations.Nullable;

/**
 * A bounded FIFO of in-flight buffers: one direction of an in-memory link. Power-of-two
 * capacity, free-running indices masked on access. Single-threaded: both ends of a pair run on
 * the same thread, so no memory ordering beyond program order is needed.
 *
 * <p>An owning container: {@link #offer} takes ownership of a buffer and {@link #poll} gives it
 * back. These two methods, which move buffers in and out of the slot array, are the only places
 * where the ownership checker is told to trust the code (see docs/ownership.md).
 */
final class PacketRing {
  private final @Nullable PacketBuffer[] slots;
  private final int mask;
  private long head;
  private long tail;

  PacketRing(int capacity) {
    if (Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("ring capacity must be a power of two, got " + capacity);
    }
    this.slots = new PacketBuffer[capacity];
    this.mask = capacity - 1;
  }

  int capacity() {
    return slots.length;
  }

  int size() {
    return (int) (tail - head);
  }

  boolean isFull() {
    return tail - head == slots.length;
  }

  /** Appends; the caller checked {@link #isFull()}. */
  @SuppressWarnings("ownership") // owning container: the buffer is stored in a slot
  void offer(@Consumes PacketBuffer buffer) {
    slots[(int) (tail++ & mask)] = buffer;
  }

  /** Removes the oldest buffer, or returns null if empty. */
  @SuppressWarnings("ownership") // owning container: a slot's buffer is handed out
  @Owned
  @Nullable PacketBuffer poll() {
    if (head == tail) {
      return null;
    }
    final int i = (int) (head++ & mask);
    final PacketBuffer buffer = slots[i];
    slots[i] = null;
    return buffer;
  }
}
