package dev.panamax.impl.unsafe;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * A device's memory-mapped register window (a BAR mapped from its sysfs {@code resourceN} file),
 * or ordinary memory standing in for one.
 *
 * <p>Every access is volatile (sequentially consistent in the Java memory model: it is neither
 * cached in a register nor reordered with other volatile accesses, and on x86 a volatile write
 * is also ordered after earlier plain writes, e.g. descriptors, as a doorbell write must be),
 * little-endian as PCI registers are, naturally aligned, and bounds-checked against the window,
 * so no register access can reach memory outside the BAR.
 */
public final class Mmio {
  private static final VarHandle U8 = JAVA_BYTE.varHandle();
  private static final VarHandle U16 = JAVA_SHORT.withOrder(LITTLE_ENDIAN).varHandle();
  private static final VarHandle U32 = JAVA_INT.withOrder(LITTLE_ENDIAN).varHandle();

  private final MemorySegment window;
  private final String device;

  /**
   * Wraps a native segment: a mapped BAR, or ordinary memory for tests and device models. Sound:
   * the segment carries its own bounds and lifetime; it must be 8-byte aligned so the alignment
   * checks of each access are checks of the real address.
   *
   * @param window native memory, at least 8-byte aligned
   * @param device names the device in messages, e.g. its PCI address
   * @throws IllegalArgumentException if the segment is a heap segment or misaligned
   */
  public Mmio(MemorySegment window, String device) {
    if (!window.isNative() || window.maxByteAlignment() < Long.BYTES) {
      throw new IllegalArgumentException(
          device + ": a register window must be native memory aligned to 8 bytes");
    }
    this.window = window;
    this.device = device;
  }

  /**
   * Volatile read of an 8-bit register. Sound: bounds-checked.
   *
   * @param offset register offset
   * @return the value (use {@link Byte#toUnsignedInt} for 0-255)
   */
  public byte read8(long offset) {
    return (byte) U8.getVolatile(window, check(device, offset, 1, window.byteSize()));
  }

  /**
   * Volatile read of a 16-bit little-endian register. Sound: bounds- and alignment-checked.
   *
   * @param offset register offset, 2-byte aligned
   * @return the value (use {@link Short#toUnsignedInt} for 0-65535)
   */
  public short read16(long offset) {
    return (short) U16.getVolatile(window, check(device, offset, 2, window.byteSize()));
  }

  /**
   * Volatile read of a 32-bit little-endian register. Sound: bounds- and alignment-checked.
   *
   * @param offset register offset, 4-byte aligned
   * @return the value
   */
  public int read32(long offset) {
    return (int) U32.getVolatile(window, check(device, offset, 4, window.byteSize()));
  }

  /**
   * Volatile write of an 8-bit register. Sound: bounds-checked.
   *
   * @param offset register offset
   * @param value the value
   */
  public void write8(long offset, byte value) {
    U8.setVolatile(window, check(device, offset, 1, window.byteSize()), value);
  }

  /**
   * Volatile write of a 16-bit little-endian register. Sound: bounds- and alignment-checked.
   *
   * @param offset register offset, 2-byte aligned
   * @param value the value
   */
  public void write16(long offset, short value) {
    U16.setVolatile(window, check(device, offset, 2, window.byteSize()), value);
  }

  /**
   * Volatile write of a 32-bit little-endian register. Sound: bounds- and alignment-checked.
   *
   * @param offset register offset, 4-byte aligned
   * @param value the value
   */
  public void write32(long offset, int value) {
    U32.setVolatile(window, check(device, offset, 4, window.byteSize()), value);
  }

  /**
   * Checks that a register of {@code width} bytes at {@code offset} lies in a window of {@code
   * size} bytes and is naturally aligned; shared with {@link PortIo}.
   */
  static long check(String device, long offset, int width, long size) {
    if (offset < 0 || offset > size - width) {
      throw new IndexOutOfBoundsException(device + ": register offset 0x" + Long.toHexString(offset)
          + " (" + width + " bytes) is outside the " + size + "-byte register window");
    }
    if ((offset & (width - 1)) != 0) {
      throw new IllegalArgumentException(device + ": register offset 0x" + Long.toHexString(offset)
          + " is not " + width + "-byte aligned");
    }
    return offset;
  }
}
