package dev.panamax.impl.mempool;

import dev.panamax.impl.observe.DeviceEvents;
import dev.panamax.api.Consumes;
import dev.panamax.api.Owned;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketOwnershipException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The packet handle of one mempool buffer. By default there is exactly one handle per buffer,
 * created with the pool, so handing packets around never allocates; a stale handle is then
 * detected only until its buffer is handed out again (it is the same object as the new owner's).
 *
 * <p>Strict ownership mode ({@code -Dpanamax.strictOwnership=true}, read once at class
 * initialisation) hands the application a fresh handle on every alloc and receive: a small
 * object that shares the buffer's memory and carries the buffer's generation at issue. A
 * consumed handle is never revived, so every later use of it throws, even after its buffer was
 * reused; the message then says so and gives both generations. The pool's preallocated handles
 * stay on the device side (receive rings). Drivers need no change: a fresh handle is a {@code
 * PacketBuffer} like the preallocated one.
 *
 * <p>Each buffer is {@code entrySize} bytes: {@value MempoolImpl#HEADROOM} bytes of headroom
 * for driver use (virtio-net header, metadata), then the packet data. Every data access checks
 * that the application owns the handle and that the range lies within {@link #length()}.
 *
 * <p>State machine, driven by {@link MempoolImpl}: FREE → OWNED (alloc, receive) → IN_FLIGHT
 * (send, post to an rx ring) → FREE (tx completion) or OWNED (receive); OWNED → FREE (free).
 */
public final class PacketBuffer implements OwnedPacket {
  static final byte FREE = 0;
  static final byte OWNED = 1;
  static final byte IN_FLIGHT = 2;
  /** Strict mode: the buffer moved on to a fresh handle (receive); this one is dead for good. */
  static final byte RETIRED = 3;

  /** Whether every alloc and receive hands out a fresh handle ({@code panamax.strictOwnership}). */
  public static final boolean STRICT = Boolean.getBoolean("panamax.strictOwnership");

  private static final ValueLayout.OfShort SHORT_BE =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final ValueLayout.OfInt INT_BE =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final ValueLayout.OfLong LONG_BE =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private final MempoolImpl pool;
  private final int index;
  private final MemorySegment data;
  private final MemorySegment entry;
  private final long dataOffsetInMemory;
  /** The buffer's generation when this handle was issued (strict mode; 0 otherwise). */
  private final int generation;
  private int length;
  byte state;
  /** What last consumed this handle, for messages; always a preallocated string. */
  String consumedBy = "never allocated";

  PacketBuffer(MempoolImpl pool, int index, MemorySegment entry, long entryOffsetInMemory) {
    this.pool = pool;
    this.index = index;
    this.entry = entry;
    this.data = entry.asSlice(MempoolImpl.HEADROOM);
    this.dataOffsetInMemory = entryOffsetInMemory + MempoolImpl.HEADROOM;
    this.generation = 0;
  }

  /** Strict mode: a fresh handle over the same buffer, owned by the application. */
  private PacketBuffer(PacketBuffer buffer, int generation, int length) {
    this.pool = buffer.pool;
    this.index = buffer.index;
    this.entry = buffer.entry;
    this.data = buffer.data;
    this.dataOffsetInMemory = buffer.dataOffsetInMemory;
    this.generation = generation;
    this.length = length;
    this.state = OWNED;
  }

  /**
   * Strict mode: retires this handle (it stays dead) and returns a fresh one for the same
   * buffer, owned by the application, with the buffer's next generation.
   */
  @Owned
  PacketBuffer reissue(@Consumes PacketBuffer this) {
    if (state == IN_FLIGHT) {
      state = RETIRED;
    }
    return new PacketBuffer(this, pool.nextGeneration(index), length);
  }

  // ---- driver-side access (impl only; the module exports no impl package) ----

  /**
   * Returns the pool this buffer belongs to.
   *
   * @return the owning pool
   */
  public MempoolImpl pool() {
    return pool;
  }

  /**
   * Returns the offset of the packet data in the pool's {@link
   * dev.panamax.impl.dma.DmaMemory}, for drivers that program descriptors.
   *
   * @return byte offset of data start
   */
  public long dataOffsetInMemory() {
    return dataOffsetInMemory;
  }

  /**
   * Returns the whole entry (headroom and data), for drivers that put a header in front of the
   * packet. Not checked against ownership: drivers call it while they hold the buffer.
   *
   * @return the entry segment
   */
  public MemorySegment entrySegment() {
    return entry;
  }

  /**
   * Sets the length without an ownership check, for a driver completing a receive.
   *
   * @param newLength the received length, at most the capacity
   */
  public void setLengthFromDevice(int newLength) {
    Objects.checkIndex(newLength, data.byteSize() + 1);
    this.length = newLength;
  }

  /**
   * Returns the length without an ownership check, for drivers.
   *
   * @return the packet length
   */
  public int lengthForDevice() {
    return length;
  }

  // ---- OwnedPacket ----

  @Override
  public int length() {
    checkOwned("length()");
    return length;
  }

  @Override
  public void setLength(int newLength) {
    checkOwned("setLength()");
    if (newLength < 0 || newLength > data.byteSize()) {
      throw new IndexOutOfBoundsException(
          "packet length " + newLength + " outside [0, " + data.byteSize() + "] for " + describe());
    }
    this.length = newLength;
  }

  @Override
  public int capacity() {
    return (int) data.byteSize();
  }

  @Override
  public byte getByte(int offset) {
    checkRange(offset, 1, "getByte()");
    return data.get(ValueLayout.JAVA_BYTE, offset);
  }

  @Override
  public int getUnsignedByte(int offset) {
    return getByte(offset) & 0xFF;
  }

  @Override
  public void putByte(int offset, byte value) {
    checkRange(offset, 1, "putByte()");
    data.set(ValueLayout.JAVA_BYTE, offset, value);
  }

  @Override
  public short getShort(int offset) {
    checkRange(offset, 2, "getShort()");
    return data.get(SHORT_BE, offset);
  }

  @Override
  public int getUnsignedShort(int offset) {
    return getShort(offset) & 0xFFFF;
  }

  @Override
  public void putShort(int offset, short value) {
    checkRange(offset, 2, "putShort()");
    data.set(SHORT_BE, offset, value);
  }

  @Override
  public int getInt(int offset) {
    checkRange(offset, 4, "getInt()");
    return data.get(INT_BE, offset);
  }

  @Override
  public void putInt(int offset, int value) {
    checkRange(offset, 4, "putInt()");
    data.set(INT_BE, offset, value);
  }

  @Override
  public long getLong(int offset) {
    checkRange(offset, 8, "getLong()");
    return data.get(LONG_BE, offset);
  }

  @Override
  public void putLong(int offset, long value) {
    checkRange(offset, 8, "putLong()");
    data.set(LONG_BE, offset, value);
  }

  @Override
  public void copyTo(int offset, byte[] dst, int dstOffset, int count) {
    checkRange(offset, count, "copyTo()");
    checkArray(dst.length, dstOffset, count, "copyTo()");
    MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, dst, dstOffset, count);
  }

  @Override
  public void copyFrom(int offset, byte[] src, int srcOffset, int count) {
    checkRange(offset, count, "copyFrom()");
    checkArray(src.length, srcOffset, count, "copyFrom()");
    MemorySegment.copy(src, srcOffset, data, ValueLayout.JAVA_BYTE, offset, count);
  }

  @Override
  public void copyTo(int offset, ByteBuffer dst) {
    final int count = dst.remaining();
    checkRange(offset, count, "copyTo()");
    MemorySegment.ofBuffer(dst).copyFrom(data.asSlice(offset, count));
    dst.position(dst.position() + count);
  }

  @Override
  public void copyFrom(int offset, ByteBuffer src) {
    final int count = src.remaining();
    checkRange(offset, count, "copyFrom()");
    data.asSlice(offset, count).copyFrom(MemorySegment.ofBuffer(src));
    src.position(src.position() + count);
  }

  @Override
  public void fill(int offset, int count, byte value) {
    checkRange(offset, count, "fill()");
    data.asSlice(offset, count).fill(value);
  }

  @Override
  public String poolName() {
    return pool.name();
  }

  @Override
  public int bufferIndex() {
    return index;
  }

  @Override
  public void free(@Consumes PacketBuffer this) {
    pool.freeBuffer(this, "free()");
  }

  // ---- checks ----

  /**
   * Throws unless the application owns this handle. A guard, not a consumption: when it throws,
   * the caller's handle is stale, so there is nothing the caller could leak.
   */
  void checkOwned(String operation) {
    if (state != OWNED) {
      throw ownershipError(operation);
    }
  }

  private void checkRange(int offset, int count, String operation) {
    if (state != OWNED) {
      throw ownershipError(operation);
    }
    if ((offset | count) < 0 || offset > length - count) {
      throw new IndexOutOfBoundsException(
          operation + " of " + count + " bytes at offset " + offset + " outside packet length "
              + length + " (" + describe() + ")");
    }
  }

  private static void checkArray(int arrayLength, int index, int count, String operation) {
    if ((index | count) < 0 || index > arrayLength - count) {
      throw new IndexOutOfBoundsException(operation + " of " + count + " bytes at array index "
          + index + " outside byte[" + arrayLength + "]");
    }
  }

  PacketOwnershipException ownershipError(String operation) {
    final String where = switch (state) {
      case IN_FLIGHT -> " and is now held by a device";
      case RETIRED -> " and was received again under a new handle";
      default -> " and is back in its pool";
    };
    final int current = pool.currentGeneration(index);
    final String reuse = STRICT && current != generation
        ? "; strict ownership mode: this handle is stale, it was issued at generation " + generation
            + " and the buffer is now at generation " + current
            + " (handed out again since)"
        : "";
    DeviceEvents.ownershipViolation(pool.name(), index, operation, consumedBy);
    return new PacketOwnershipException(
        operation + " on a packet the application no longer owns: " + describe()
            + " was consumed by " + consumedBy + where + reuse);
  }

  String describe() {
    return "pool '" + pool.name() + "' buffer #" + index;
  }

  @Override
  public String toString() {
    return "Packet[" + describe() + ", length=" + length + "]";
  }
}
