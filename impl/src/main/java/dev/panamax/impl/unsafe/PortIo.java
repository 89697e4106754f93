package dev.panamax.impl.unsafe;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * x86 port I/O on a PCI I/O BAR (legacy virtio), through the sysfs {@code resourceN} file of
 * that BAR: the kernel turns a 1-, 2- or 4-byte {@code pread}/{@code pwrite} at offset {@code o}
 * into an {@code in}/{@code out} instruction on port {@code base + o}; it accepts only naturally
 * aligned accesses, and so does this class.
 *
 * <p>Each access is one positional system call, hence ordered with every other access and
 * complete when the method returns. Values are little-endian, offsets are bounds-checked against
 * the BAR length, so no access reaches a port outside the device's BAR. Thread-safe (positional
 * I/O shares no file position; each call uses its own buffer).
 */
public final class PortIo implements Closeable {
  private final FileChannel channel;
  private final long length;
  private final Path file;
  private final String device;

  private PortIo(FileChannel channel, long length, Path file, String device) {
    this.channel = channel;
    this.length = length;
    this.file = file;
    this.device = device;
  }

  /**
   * Opens an I/O BAR's resource file for reading and writing. Sound: an ordinary file open;
   * the BAR length is the file size.
   *
   * @param resourceFile e.g. {@code /sys/bus/pci/devices/0000:00:04.0/resource0}
   * @param device names the device in messages
   * @return the port window; close it when done
   * @throws UncheckedIOException naming the device and file if the file cannot be opened
   */
  public static PortIo open(Path resourceFile, String device) {
    try {
      final long length = Files.size(resourceFile);
      return new PortIo(
          FileChannel.open(resourceFile, StandardOpenOption.READ, StandardOpenOption.WRITE),
          length, resourceFile, device);
    } catch (IOException e) {
      throw new UncheckedIOException(device + ": cannot open I/O BAR " + resourceFile + ": " + e, e);
    }
  }

  /**
   * Returns the BAR length in bytes (ports).
   *
   * @return the length
   */
  public long length() {
    return length;
  }

  /**
   * Reads an 8-bit port. Sound: bounds- and alignment-checked positional read.
   *
   * @param offset port offset in the BAR
   * @return the value
   */
  public byte in8(long offset) {
    return read(offset, 1).get(0);
  }

  /**
   * Reads a 16-bit little-endian port. Sound: bounds- and alignment-checked positional read.
   *
   * @param offset port offset in the BAR
   * @return the value
   */
  public short in16(long offset) {
    return read(offset, 2).getShort(0);
  }

  /**
   * Reads a 32-bit little-endian port. Sound: bounds- and alignment-checked positional read.
   *
   * @param offset port offset in the BAR
   * @return the value
   */
  public int in32(long offset) {
    return read(offset, 4).getInt(0);
  }

  /**
   * Writes an 8-bit port. Sound: bounds- and alignment-checked positional write.
   *
   * @param offset port offset in the BAR
   * @param value the value
   */
  public void out8(long offset, byte value) {
    write(offset, buffer(1).put(0, value));
  }

  /**
   * Writes a 16-bit little-endian port. Sound: bounds- and alignment-checked positional write.
   *
   * @param offset port offset in the BAR
   * @param value the value
   */
  public void out16(long offset, short value) {
    write(offset, buffer(2).putShort(0, value));
  }

  /**
   * Writes a 32-bit little-endian port. Sound: bounds- and alignment-checked positional write.
   *
   * @param offset port offset in the BAR
   * @param value the value
   */
  public void out32(long offset, int value) {
    write(offset, buffer(4).putInt(0, value));
  }

  /** Closes the resource file. */
  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(device + ": cannot close " + file + ": " + e, e);
    }
  }

  @Override
  public String toString() {
    return "PortIo[" + device + ", " + length + " ports]";
  }

  private static ByteBuffer buffer(int width) {
    return ByteBuffer.allocate(width).order(ByteOrder.LITTLE_ENDIAN);
  }

  private ByteBuffer read(long offset, int width) {
    check(offset, width);
    final ByteBuffer buffer = buffer(width);
    try {
      if (channel.read(buffer, offset) != width) {
        throw new IOException("short read");
      }
    } catch (IOException e) {
      throw failure("in", offset, width, e);
    }
    return buffer;
  }

  private void write(long offset, ByteBuffer buffer) {
    final int width = buffer.capacity();
    check(offset, width);
    try {
      if (channel.write(buffer, offset) != width) {
        throw new IOException("short write");
      }
    } catch (IOException e) {
      throw failure("out", offset, width, e);
    }
  }

  private void check(long offset, int width) {
    if (offset < 0 || offset > length - width) {
      throw new IndexOutOfBoundsException(
          device + ": port offset 0x" + Long.toHexString(offset) + " (" + width
              + " bytes) is outside the " + length + "-byte I/O BAR");
    }
    if ((offset & (width - 1)) != 0) {
      throw new IllegalArgumentException(
          device + ": port offset 0x" + Long.toHexString(offset) + " is not " + width
              + "-byte aligned (the kernel refuses unaligned sysfs port access)");
    }
  }

  private UncheckedIOException failure(String op, long offset, int width, IOException e) {
    return new UncheckedIOException(
        device + ": " + op + (width * 8) + " at port offset 0x" + Long.toHexString(offset)
            + " of " + file + " failed: " + e, e);
  }
}
