package dev.panamax.impl.unsafe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A device's memory-mapped register window (a BAR), or ordinary memory standing in for one.
 *
 * <p>Every access is volatile (sequentially consistent in the Java memory model: it is neither
 * cached in a register nor reordered with other volatile accesses, and on x86 a volatile write
 * is also ordered after earlier plain writes, e.g. descriptors, as a doorbell write must be),
 * little-endian as PCI registers are, naturally aligned, and bounds-checked against the window,
 * so no register access can reach memory outside the BAR.
 */
public final class Mmio {
  private static final VarHandle U8 = ValueLayout.JAVA_BYTE.varHandle();
  private static final VarHandle U16 =
      ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
  private static final VarHandle U32 =
      ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
  private static final VarHandle U64 =
      ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

  private final MemorySegment window;
  private final String device;

  private Mmio(MemorySegment window, String device) {
    this.window = window;
    this.device = device;
  }

  /**
   * Wraps an existing native segment, e.g. ordinary memory for tests or a device model. Sound:
   * the segment carries its own bounds and lifetime; it must be 8-byte aligned so the
   * alignment checks of each access are checks of the real address.
   *
   * @param window native memory, at least 8-byte aligned
   * @param device names the device in messages, e.g. its PCI address
   * @return the register window
   * @throws IllegalArgumentException if the segment is a heap segment or misaligned
   */
  public static Mmio of(MemorySegment window, String device) {
    if (!window.isNative() || (window.address() & (Long.BYTES - 1)) != 0) {
      throw new IllegalArgumentException(
          device + ": a register window must be native memory aligned to 8 bytes");
    }
    return new Mmio(window, device);
  }

  /**
   * Maps {@code size} bytes of a sysfs {@code resourceN} file (a memory BAR) into {@code arena}.
   * Sound: a plain {@link FileChannel#map(FileChannel.MapMode, long, long, Arena)} of a file no
   * larger than the file, so the segment covers exactly the BAR; it is unmapped when the arena
   * closes and every later access is bounds- and scope-checked.
   *
   * @param resourceFile e.g. {@code /sys/bus/pci/devices/0000:00:04.0/resource0}
   * @param size bytes to map, at most the file size
   * @param arena owner of the mapping
   * @param device names the device in messages
   * @return the register window
   * @throws UncheckedIOException naming the device and file if mapping fails
   */
  public static Mmio map(Path resourceFile, long size, Arena arena, String device) {
    try (FileChannel channel =
        FileChannel.open(resourceFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      final long available = Files.size(resourceFile);
      if (size <= 0 || size > available) {
        throw new IOException("asked for " + size + " bytes, the BAR has " + available);
      }
      return of(channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena), device);
    } catch (IOException e) {
      throw new UncheckedIOException(device + ": cannot map " + resourceFile + ": " + e, e);
    }
  }

  /**
   * Returns the window size in bytes.
   *
   * @return the size
   */
  public long size() {
    return window.byteSize();
  }

  /**
   * Returns the device name given at creation.
   *
   * @return e.g. "0000:00:04.0"
   */
  public String device() {
    return device;
  }

  /**
   * Volatile read of an 8-bit register. Sound: bounds-checked.
   *
   * @param offset register offset
   * @return the value (use {@link Byte#toUnsignedInt} for 0–255)
   */
  public byte read8(long offset) {
    return (byte) U8.getVolatile(window, check(offset, 1));
  }

  /**
   * Volatile read of a 16-bit little-endian register. Sound: bounds- and alignment-checked.
   *
   * @param offset register offset, 2-byte aligned
   * @return the value (use {@link Short#toUnsignedInt} for 0–65535)
   */
  public short read16(long offset) {
    return (short) U16.getVolatile(window, check(offset, 2));
  }

  /**
   * Volatile read of a 32-bit little-endian register. Sound: bounds- and alignment-checked.
   *
   * @param offset register offset, 4-byte aligned
   * @return the value
   */
  public int read32(long offset) {
    return (int) U32.getVolatile(window, check(offset, 4));
  }

  /**
   * Volatile read of a 64-bit little-endian register. Sound: bounds- and alignment-checked.
   *
   * @param offset register offset, 8-byte aligned
   * @return the value
   */
  public long read64(long offset) {
    return (long) U64.getVolatile(window, check(offset, 8));
  }

  /**
   * Volatile write of an 8-bit register. Sound: bounds-checked.
   *
   * @param offset register offset
   * @param value the value
   */
  public void write8(long offset, byte value) {
    U8.setVolatile(window, check(offset, 1), value);
  }

  /**
   * Volatile write of a 16-bit little-endian register. Sound: bounds- and alignment-checked.
   *
   * @param offset register offset, 2-byte aligned
   * @param value the value
   */
  public void write16(long offset, short value) {
    U16.setVolatile(window, check(offset, 2), value);
  }

  /**
   * Volatile write of a 32-bit little-endian register. Sound: bounds- and alignment-checked.
   *
   * @param offset register offset, 4-byte aligned
   * @param value the value
   */
  public void write32(long offset, int value) {
    U32.setVolatile(window, check(offset, 4), value);
  }

  /**
   * Volatile write of a 64-bit little-endian register. Sound: bounds- and alignment-checked.
   *
   * @param offset register offset, 8-byte aligned
   * @param value the value
   */
  public void write64(long offset, long value) {
    U64.setVolatile(window, check(offset, 8), value);
  }

  private long check(long offset, int width) {
    if (offset < 0 || offset > window.byteSize() - width) {
      throw new IndexOutOfBoundsException(
          device + ": register offset 0x" + Long.toHexString(offset) + " (" + width
              + " bytes) is outside the " + window.byteSize() + "-byte register window");
    }
    if ((offset & (width - 1)) != 0) {
      throw new IllegalArgumentException(
          device + ": register offset 0x" + Long.toHexString(offset) + " is not " + width
              + "-byte aligned");
    }
    return offset;
  }

  @Override
  public String toString() {
    return "Mmio[" + device + ", " + window.byteSize() + " bytes]";
  }
}
