package dev.panamax.impl.unsafe;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * x86 port I/O on a PCI I/O BAR (legacy virtio), through the sysfs {@code resourceN} file of that
 * BAR: the kernel turns a 1-, 2- or 4-byte {@code pread}/{@code pwrite} at offset {@code o} into
 * an {@code in}/{@code out} instruction on port {@code base + o}.
 *
 * <p>Each access is one positional system call, hence ordered with every other access and
 * complete when the method returns. Values are little-endian, offsets are bounds- and
 * alignment-checked against the BAR length, so no access reaches a port outside the device's
 * BAR. Thread-safe: positional I/O shares no file position, and each thread reuses its own
 * 8-byte buffer, so an access allocates nothing (virtio legacy notifies through here once per
 * transmitted batch).
 */
public final class PortIo implements Closeable {
  private final FileChannel bar;
  private final long length;
  private final String device;
  private final ThreadLocal<ByteBuffer> buffers =
      ThreadLocal.withInitial(() -> ByteBuffer.allocate(Long.BYTES).order(LITTLE_ENDIAN));

  /**
   * Wraps an I/O BAR's resource file. Sound: every access is checked against {@code length}.
   *
   * @param bar the file, open for reading and writing; closed by {@link #close}
   * @param length the BAR length in bytes (ports): the file size
   * @param device names the device in messages
   */
  public PortIo(FileChannel bar, long length, String device) {
    this.bar = bar;
    this.length = length;
    this.device = device;
  }

  /**
   * Reads an 8-bit port. Sound: bounds-checked positional read.
   *
   * @param offset port offset in the BAR
   * @return the value
   */
  public byte in8(long offset) {
    return (byte) access(offset, 1, 0, false);
  }

  /**
   * Reads a 16-bit little-endian port. Sound: bounds- and alignment-checked positional read.
   *
   * @param offset port offset in the BAR
   * @return the value
   */
  public short in16(long offset) {
    return (short) access(offset, 2, 0, false);
  }

  /**
   * Reads a 32-bit little-endian port. Sound: bounds- and alignment-checked positional read.
   *
   * @param offset port offset in the BAR
   * @return the value
   */
  public int in32(long offset) {
    return (int) access(offset, 4, 0, false);
  }

  /**
   * Writes an 8-bit port. Sound: bounds-checked positional write.
   *
   * @param offset port offset in the BAR
   * @param value the value
   */
  public void out8(long offset, byte value) {
    access(offset, 1, value, true);
  }

  /**
   * Writes a 16-bit little-endian port. Sound: bounds- and alignment-checked positional write.
   *
   * @param offset port offset in the BAR
   * @param value the value
   */
  public void out16(long offset, short value) {
    access(offset, 2, value, true);
  }

  /**
   * Writes a 32-bit little-endian port. Sound: bounds- and alignment-checked positional write.
   *
   * @param offset port offset in the BAR
   * @param value the value
   */
  public void out32(long offset, int value) {
    access(offset, 4, value, true);
  }

  /**
   * Closes the resource file.
   *
   * @throws IOException if closing fails
   */
  @Override
  public void close() throws IOException {
    bar.close();
  }

  /**
   * One positional read or write of the low {@code width} bytes of a little-endian long; returns
   * the long read (zero-extended) or written. Sound: the range is checked against the BAR length
   * first.
   */
  private long access(long offset, int width, long value, boolean write) {
    Mmio.check(device, offset, width, length);
    final ByteBuffer buffer = buffers.get().clear().putLong(0, value);
    buffer.limit(width);
    try {
      if ((write ? bar.write(buffer, offset) : bar.read(buffer, offset)) != width) {
        throw new IOException("short " + (write ? "write" : "read"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(device + ": " + (write ? "out" : "in") + width * 8
          + " at port offset 0x" + Long.toHexString(offset) + " failed: " + e, e);
    }
    return buffer.clear().getLong(0);
  }
}
