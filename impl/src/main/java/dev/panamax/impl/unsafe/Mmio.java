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
 * is also ordered after earlier plain writes, e.g. descriptors, as a doorbell write must be) and
 * little-endian, as PCI registers are. The segment's own checks make every access safe: an
 * offset outside the window throws {@link IndexOutOfBoundsException}, an access that is not
 * naturally aligned at its real address throws {@link IllegalArgumentException}, and an access
 * after the mapping's arena closed throws {@link IllegalStateException}; in each case nothing is
 * read or written.
 */
public final class Mmio {
  private static final VarHandle U8 = JAVA_BYTE.varHandle();
  private static final VarHandle U16 = JAVA_SHORT.withOrder(LITTLE_ENDIAN).varHandle();
  private static final VarHandle U32 = JAVA_INT.withOrder(LITTLE_ENDIAN).varHandle();

  private final MemorySegment window;

  /**
   * Wraps a segment: a mapped BAR, or ordinary memory for tests and device models. Sound: the
   * segment carries its own bounds, lifetime and address, so no access can leave it.
   *
   * @param window the register window
   */
  public Mmio(MemorySegment window) {
    this.window = window;
  }

  /**
   * Volatile read of an 8-bit register. Sound: the segment checks the bounds.
   *
   * @param offset register offset
   * @return the value (use {@link Byte#toUnsignedInt} for 0-255)
   */
  public byte read8(long offset) {
    return (byte) U8.getVolatile(window, offset);
  }

  /**
   * Volatile read of a 16-bit little-endian register. Sound: the segment checks bounds and
   * alignment.
   *
   * @param offset register offset, 2-byte aligned
   * @return the value (use {@link Short#toUnsignedInt} for 0-65535)
   */
  public short read16(long offset) {
    return (short) U16.getVolatile(window, offset);
  }

  /**
   * Volatile read of a 32-bit little-endian register. Sound: the segment checks bounds and
   * alignment.
   *
   * @param offset register offset, 4-byte aligned
   * @return the value
   */
  public int read32(long offset) {
    return (int) U32.getVolatile(window, offset);
  }

  /**
   * Volatile write of an 8-bit register. Sound: the segment checks the bounds.
   *
   * @param offset register offset
   * @param value the value
   */
  public void write8(long offset, byte value) {
    U8.setVolatile(window, offset, value);
  }

  /**
   * Volatile write of a 16-bit little-endian register. Sound: the segment checks bounds and
   * alignment.
   *
   * @param offset register offset, 2-byte aligned
   * @param value the value
   */
  public void write16(long offset, short value) {
    U16.setVolatile(window, offset, value);
  }

  /**
   * Volatile write of a 32-bit little-endian register. Sound: the segment checks bounds and
   * alignment.
   *
   * @param offset register offset, 4-byte aligned
   * @param value the value
   */
  public void write32(long offset, int value) {
    U32.setVolatile(window, offset, value);
  }
}
