package dev.panamax.impl.mempool;

import dev.panamax.api.Consumes;
import dev.panamax.api.MempoolExhaustedException;
import dev.panamax.api.Mempool;
import dev.panamax.api.Owned;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;
import dev.panamax.impl.unsafe.DmaMemory;
import org.jspecify.annotations.Nullable;

/**
 * A mempool: {@code entryCount} buffers of {@code entrySize} bytes in one {@link DmaMemory}
 * block, with an {@code int} free stack and one preallocated {@link PacketBuffer} handle per
 * buffer. Allocation and free are a few array operations; nothing is allocated after
 * construction.
 *
 * <p>Single-threaded: all operations on a pool, including the device transitions, run on one
 * thread. Use one pool per queue and thread.
 *
 * <p>Counters: {@code free} is the free-stack depth, {@code inFlight} counts buffers held by
 * devices, and owned is what remains, so {@code capacity == free + owned + inFlight} holds by
 * construction and the transitions keep each counter exact.
 */
public final class MempoolImpl implements Mempool {
  /** Bytes reserved in front of every packet for drivers (virtio-net header, metadata). */
  public static final int HEADROOM = 64;

  private final String name;
  private final DmaMemory memory;
  private final int entrySize;
  private final PacketBuffer[] buffers;
  private final int[] freeStack;
  private int freeTop;
  private int inFlight;

  /**
   * Creates a pool over memory already allocated.
   *
   * @param name name for messages
   * @param memory the memory, at least {@code entrySize * entryCount} bytes
   * @param entrySize bytes per buffer, a power of two from 256 to 65536
   * @param entryCount number of buffers
   */
  public MempoolImpl(String name, DmaMemory memory, int entrySize, int entryCount) {
    validate(entrySize, entryCount);
    if (memory.size() < (long) entrySize * entryCount) {
      throw new IllegalArgumentException(
          "mempool '" + name + "': memory of " + memory.size() + " bytes is smaller than "
              + entryCount + " entries of " + entrySize + " bytes");
    }
    this.name = name;
    this.memory = memory;
    this.entrySize = entrySize;
    this.buffers = new PacketBuffer[entryCount];
    this.freeStack = new int[entryCount];
    for (int i = 0; i < entryCount; i++) {
      final long offset = (long) i * entrySize;
      buffers[i] = new PacketBuffer(this, i, memory.segment().asSlice(offset, entrySize), offset);
      // Push in reverse so that the first allocation returns buffer 0.
      freeStack[i] = entryCount - 1 - i;
    }
    this.freeTop = entryCount;
  }

  /**
   * Checks mempool geometry.
   *
   * @param entrySize bytes per buffer
   * @param entryCount number of buffers
   * @throws IllegalArgumentException naming the bad value and the allowed range
   */
  public static void validate(int entrySize, int entryCount) {
    if (entrySize < 256 || entrySize > 65536 || Integer.bitCount(entrySize) != 1) {
      throw new IllegalArgumentException(
          "mempool entry size must be a power of two from 256 to 65536, got " + entrySize);
    }
    if (entryCount < 1) {
      throw new IllegalArgumentException("mempool entry count must be at least 1, got " + entryCount);
    }
  }

  /**
   * Returns the memory block, for drivers that program buffer addresses.
   *
   * @return the pool's DMA memory
   */
  public DmaMemory memory() {
    return memory;
  }

  // ---- application side ----

  @Override
  @Owned
  public OwnedPacket alloc(int length) {
    final OwnedPacket packet = tryAlloc(length);
    if (packet == null) {
      throw new MempoolExhaustedException(
          "mempool '" + name + "' is exhausted: " + capacity() + " buffers, "
              + ownedCount() + " owned by the application, " + inFlight + " in flight on devices");
    }
    return packet;
  }

  @Override
  @Owned
  public @Nullable OwnedPacket tryAlloc(int length) {
    if (length < 0 || length > entrySize - HEADROOM) {
      throw new IndexOutOfBoundsException(
          "packet length " + length + " outside [0, " + (entrySize - HEADROOM) + "] for mempool '"
              + name + "'");
    }
    if (freeTop == 0) {
      return null;
    }
    final PacketBuffer buffer = buffers[freeStack[--freeTop]];
    buffer.state = PacketBuffer.OWNED;
    buffer.setLengthFromDevice(length);
    return buffer;
  }

  @Override
  public int allocBatch(PacketBatch batch, int count, int length) {
    final int n = Math.min(Math.min(count, batch.remaining()), freeTop);
    for (int i = 0; i < n; i++) {
      final OwnedPacket packet = tryAlloc(length);
      assert packet != null;
      batch.add(packet);
    }
    return n;
  }

  @Override
  public void free(@Consumes OwnedPacket packet) {
    if (!(packet instanceof PacketBuffer buffer) || buffer.pool() != this) {
      throw new IllegalArgumentException(
          "mempool '" + name + "' cannot free " + packet + ": it belongs to another pool");
    }
    freeBuffer(buffer, "Mempool.free()");
  }

  void freeBuffer(PacketBuffer buffer, String operation) {
    if (buffer.state != PacketBuffer.OWNED) {
      throw buffer.ownershipError(operation);
    }
    buffer.state = PacketBuffer.FREE;
    buffer.consumedBy = operation;
    freeStack[freeTop++] = buffer.bufferIndex();
  }

  // ---- device side (drivers and in-memory devices) ----

  /**
   * Moves an application-owned packet to a device (transmit). The handle is dead for the
   * application afterwards.
   *
   * @param packet the packet taken from a batch
   * @param consumer preallocated text naming the operation and device, e.g. "txBatch on X"
   * @return the buffer, now in flight
   * @throws dev.panamax.api.PacketOwnershipException if the application did not own it
   * @throws IllegalArgumentException if the packet is not a Panamax buffer
   */
  public static PacketBuffer handOver(OwnedPacket packet, String consumer) {
    if (!(packet instanceof PacketBuffer buffer)) {
      throw new IllegalArgumentException(
          consumer + ": " + packet.getClass().getName() + " is not a Panamax packet buffer");
    }
    if (buffer.state != PacketBuffer.OWNED) {
      throw buffer.ownershipError(consumer);
    }
    buffer.state = PacketBuffer.IN_FLIGHT;
    buffer.consumedBy = consumer;
    buffer.pool().inFlight++;
    return buffer;
  }

  /**
   * Returns a buffer a device has finished with (transmit completion) to the free stack.
   *
   * @param buffer a buffer in flight
   */
  public void completeFromDevice(PacketBuffer buffer) {
    if (buffer.state != PacketBuffer.IN_FLIGHT || buffer.pool() != this) {
      throw new IllegalStateException(
          "mempool '" + name + "': completion of " + buffer.describe() + " that is not in flight");
    }
    buffer.state = PacketBuffer.FREE;
    inFlight--;
    freeStack[freeTop++] = buffer.bufferIndex();
  }

  /**
   * Takes a free buffer for a device's receive ring.
   *
   * @param consumer preallocated text naming the device, e.g. "rx ring of X"
   * @return the buffer, now in flight, or {@code null} if the pool is empty
   */
  public @Nullable PacketBuffer allocForDevice(String consumer) {
    if (freeTop == 0) {
      return null;
    }
    final PacketBuffer buffer = buffers[freeStack[--freeTop]];
    buffer.state = PacketBuffer.IN_FLIGHT;
    buffer.consumedBy = consumer;
    inFlight++;
    return buffer;
  }

  /**
   * Gives a received buffer to the application.
   *
   * @param buffer a buffer in flight
   * @param length the received length
   * @return the same buffer, now owned by the application
   */
  @Owned
  public static PacketBuffer receive(PacketBuffer buffer, int length) {
    final MempoolImpl pool = buffer.pool();
    if (buffer.state != PacketBuffer.IN_FLIGHT) {
      throw new IllegalStateException(
          "mempool '" + pool.name + "': receive of " + buffer.describe() + " that is not in flight");
    }
    buffer.setLengthFromDevice(length);
    buffer.state = PacketBuffer.OWNED;
    pool.inFlight--;
    return buffer;
  }

  // ---- counters ----

  @Override
  public String name() {
    return name;
  }

  @Override
  public int capacity() {
    return buffers.length;
  }

  @Override
  public int entrySize() {
    return entrySize;
  }

  @Override
  public int packetCapacity() {
    return entrySize - HEADROOM;
  }

  @Override
  public int freeCount() {
    return freeTop;
  }

  @Override
  public int ownedCount() {
    return buffers.length - freeTop - inFlight;
  }

  @Override
  public int inFlightCount() {
    return inFlight;
  }

  @Override
  public String toString() {
    return "Mempool[" + name + ": " + buffers.length + " x " + entrySize + " B in "
        + memory.description() + ", free=" + freeTop + ", owned=" + ownedCount() + ", inFlight="
        + inFlight + "]";
  }
}
