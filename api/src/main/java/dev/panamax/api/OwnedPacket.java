package dev.panamax.api;

import java.nio.ByteBuffer;

/**
 * A linear handle to one packet buffer in a {@link Mempool}.
 *
 * <p>Exactly one owner holds a packet at a time. The owner consumes it exactly once: by sending
 * it ({@link NetworkDevice#txBatch}), freeing it ({@link #free()}), moving it into a
 * {@link PacketBatch} ({@link PacketBatch#add}), returning it, or passing it to a
 * {@link Consumes} parameter. Any use after that throws {@link PacketOwnershipException}.
 *
 * <p>All accesses are bounds-checked against the packet's current {@link #length()}: offsets
 * run from {@code 0} to {@code length() - 1}. Multi-byte values are big-endian (network order).
 * No raw memory segment or address ever escapes a packet.
 *
 * <p>Arguments are checked before anything is read or written: an offset or count outside the
 * packet, or an array range outside the array, throws {@link IndexOutOfBoundsException} naming
 * the offset, the count and the limit, and changes nothing; so does a use of a consumed handle
 * ({@link PacketOwnershipException}).
 *
 * <p>A packet belongs to the thread that owns its mempool; packets are not thread-safe.
 */
public interface OwnedPacket {

  /**
   * Returns the packet length in bytes (the frame without FCS).
   *
   * @return the number of valid bytes
   */
  int length();

  /**
   * Sets the packet length. Bytes beyond the old length keep whatever the buffer held.
   *
   * @param length the new length, between 0 and {@link #capacity()}
   * @throws IndexOutOfBoundsException if the length is negative or exceeds the capacity
   */
  void setLength(int length);

  /**
   * Returns the largest length this packet's buffer can hold.
   *
   * @return the buffer capacity in bytes
   */
  int capacity();

  /**
   * Reads one byte.
   *
   * @param offset offset from the start of the packet
   * @return the byte
   */
  byte getByte(int offset);

  /**
   * Reads one byte as an unsigned value.
   *
   * @param offset offset from the start of the packet
   * @return the byte, 0 to 255
   */
  int getUnsignedByte(int offset);

  /**
   * Writes one byte.
   *
   * @param offset offset from the start of the packet
   * @param value the byte
   */
  void putByte(int offset, byte value);

  /**
   * Reads a big-endian 16-bit value.
   *
   * @param offset offset from the start of the packet
   * @return the value
   */
  short getShort(int offset);

  /**
   * Reads a big-endian 16-bit value as unsigned.
   *
   * @param offset offset from the start of the packet
   * @return the value, 0 to 65535
   */
  int getUnsignedShort(int offset);

  /**
   * Writes a big-endian 16-bit value.
   *
   * @param offset offset from the start of the packet
   * @param value the value; only its low 16 bits are written when widened from an int
   */
  void putShort(int offset, short value);

  /**
   * Reads a big-endian 32-bit value.
   *
   * @param offset offset from the start of the packet
   * @return the value
   */
  int getInt(int offset);

  /**
   * Writes a big-endian 32-bit value.
   *
   * @param offset offset from the start of the packet
   * @param value the value
   */
  void putInt(int offset, int value);

  /**
   * Reads a big-endian 64-bit value.
   *
   * @param offset offset from the start of the packet
   * @return the value
   */
  long getLong(int offset);

  /**
   * Writes a big-endian 64-bit value.
   *
   * @param offset offset from the start of the packet
   * @param value the value
   */
  void putLong(int offset, long value);

  /**
   * Copies bytes out of the packet.
   *
   * @param offset offset in the packet
   * @param dst destination array
   * @param dstOffset first index written in {@code dst}
   * @param length number of bytes
   */
  void copyTo(int offset, byte[] dst, int dstOffset, int length);

  /**
   * Copies bytes into the packet.
   *
   * @param offset offset in the packet
   * @param src source array
   * @param srcOffset first index read from {@code src}
   * @param length number of bytes
   */
  void copyFrom(int offset, byte[] src, int srcOffset, int length);

  /**
   * Copies {@code dst.remaining()} bytes out of the packet into {@code dst}, advancing its
   * position.
   *
   * @param offset offset in the packet
   * @param dst destination buffer (heap or direct)
   */
  void copyTo(int offset, ByteBuffer dst);

  /**
   * Copies {@code src.remaining()} bytes from {@code src} into the packet, advancing its
   * position.
   *
   * @param offset offset in the packet
   * @param src source buffer (heap or direct)
   */
  void copyFrom(int offset, ByteBuffer src);

  /**
   * Sets {@code length} bytes starting at {@code offset} to {@code value}.
   *
   * @param offset offset in the packet
   * @param length number of bytes
   * @param value the byte to write
   */
  void fill(int offset, int length, byte value);

  /**
   * Returns the name of the mempool this packet's buffer belongs to.
   *
   * @return the pool name
   */
  String poolName();

  /**
   * Returns the index of this packet's buffer in its pool, for diagnostics.
   *
   * @return the buffer index
   */
  int bufferIndex();

  /**
   * Gives the buffer back to its pool. The handle is dead afterwards.
   *
   * @throws PacketOwnershipException if the packet was already freed or sent
   */
  void free(@Consumes OwnedPacket this);
}
