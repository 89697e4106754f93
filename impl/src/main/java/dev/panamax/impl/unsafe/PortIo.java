package dev.panamax.impl.unsafe;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * x86 port I/O on a PCI I/O BAR (legacy virtio), through the sysfs {@code resourceN} file of that
 * BAR: the kernel turns a 1-, 2- or 4-byte {@code pread}/{@code pwrite} at offset {@code o} into
 * an {@code in}/{@code out} instruction of that width on port {@code base + o}. The two
 * primitives take the width as the kernel does, as a byte count.
 *
 * <p>Each access is one positional system call, hence ordered with every other access and
 * complete when the method returns. Values are little-endian; a width other than 1, 2 or 4, or
 * an offset outside the BAR or not naturally aligned, throws {@link IndexOutOfBoundsException}
 * before any access, so no access reaches a port outside the device's BAR. Thread-safe:
 * positional I/O shares no file position, and each thread reuses its own 8-byte buffer, so an
 * access allocates nothing (virtio legacy notifies through here once per transmitted batch).
 *
 * <p>Like {@link Mmio}, which does not own its mapping, this does not own the file: whoever
 * opened it closes it, after the last access.
 */
public final class PortIo {
  private final FileChannel bar;
  private final long length;
  private final String device;
  private final ThreadLocal<ByteBuffer> buffers =
      ThreadLocal.withInitial(() -> ByteBuffer.allocate(Long.BYTES).order(LITTLE_ENDIAN));

  /**
   * Wraps an I/O BAR's resource file. Sound: every access is checked against {@code length}.
   *
   * @param bar the file, open for reading and writing
   * @param length the BAR length in bytes (ports): the file size
   * @param device names the device in messages
   */
  public PortIo(FileChannel bar, long length, String device) {
    this.bar = bar;
    this.length = length;
    this.device = device;
  }

  /**
   * Reads a port. Sound: a bounds-, width- and alignment-checked positional read.
   *
   * @param offset port offset in the BAR, a multiple of {@code width}
   * @param width 1, 2 or 4 bytes
   * @return the value, zero-extended
   */
  public int in(long offset, int width) {
    return (int) access(offset, width, 0, false);
  }

  /**
   * Writes a port. Sound: a bounds-, width- and alignment-checked positional write.
   *
   * @param offset port offset in the BAR, a multiple of {@code width}
   * @param width 1, 2 or 4 bytes
   * @param value the value; only its low {@code width} bytes are written
   */
  public void out(long offset, int width, int value) {
    access(offset, width, value, true);
  }

  /**
   * One positional read or write of the low {@code width} bytes of a little-endian long; returns
   * the long read (zero-extended) or written. Sound: the width and the port range are checked,
   * the range to lie in the BAR, naturally aligned, before the file is touched.
   */
  private long access(long offset, int width, long value, boolean write) {
    if ((width != 1 && width != 2 && width != 4) || offset < 0 || offset > length - width
        || (offset & (width - 1)) != 0) {
      throw new IndexOutOfBoundsException(device + ": " + width + "-byte port access at offset 0x"
          + Long.toHexString(offset) + " is not a 1-, 2- or 4-byte access aligned inside the "
          + length + "-byte I/O BAR");
    }
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
