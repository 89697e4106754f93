package dev.panamax.impl.unsafe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MmioTest {
  private final Arena arena = Arena.ofConfined();
  private final MemorySegment memory = arena.allocate(64, 8);
  private final Mmio regs = new Mmio(memory, "test-dev");

  @AfterEach
  void close() {
    arena.close();
  }

  private byte[] bytes(long offset, int length) {
    return memory.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
  }

  @Test
  void writesAreLittleEndianAndReadBack() {
    regs.write32(0x8, 0x12345678);
    assertArrayEquals(new byte[] {0x78, 0x56, 0x34, 0x12}, bytes(0x8, 4));
    assertEquals(0x12345678, regs.read32(0x8));

    regs.write16(0x2, (short) 0xBEEF);
    assertArrayEquals(new byte[] {(byte) 0xEF, (byte) 0xBE}, bytes(0x2, 2));
    assertEquals((short) 0xBEEF, regs.read16(0x2));

    regs.write8(0x1, (byte) 0xA5);
    assertEquals((byte) 0xA5, memory.get(ValueLayout.JAVA_BYTE, 1));
    assertEquals((byte) 0xA5, regs.read8(0x1));
  }

  @Test
  void readsLittleEndianBytesWrittenByTheDevice() {
    memory.asSlice(0x20, 4).copyFrom(MemorySegment.ofArray(new byte[] {0x01, 0x00, 0x00, (byte) 0x80}));
    assertEquals(0x80000001, regs.read32(0x20));
    assertEquals((short) 0x8000, regs.read16(0x22));
  }

  @Test
  void outOfBoundsAccessIsRefusedWithDeviceName() {
    final IndexOutOfBoundsException e =
        assertThrows(IndexOutOfBoundsException.class, () -> regs.read32(64));
    assertTrue(e.getMessage().contains("test-dev") && e.getMessage().contains("outside"), e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> regs.read32(-4));
    assertThrows(IndexOutOfBoundsException.class, () -> regs.write32(64, 1));
    assertThrows(IndexOutOfBoundsException.class, () -> regs.read8(64));
    assertThrows(IndexOutOfBoundsException.class, () -> regs.write16(Long.MAX_VALUE - 1, (short) 0));
    regs.read32(60); // the last full register is fine
  }

  @Test
  void misalignedAccessIsRefused() {
    final IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> regs.write32(2, 1));
    assertTrue(e.getMessage().contains("test-dev") && e.getMessage().contains("not 4-byte aligned"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> regs.read16(1));
    assertThrows(IllegalArgumentException.class, () -> regs.write16(7, (short) 1));
    assertEquals(0, bytes(0, 8)[2]); // nothing was written
  }

  @Test
  void refusesHeapAndMisalignedSegments() {
    assertThrows(IllegalArgumentException.class,
        () -> new Mmio(MemorySegment.ofArray(new byte[16]), "heap"));
    assertThrows(IllegalArgumentException.class, () -> new Mmio(memory.asSlice(1), "odd"));
    assertThrows(IllegalArgumentException.class, () -> new Mmio(memory.asSlice(4), "4-byte aligned"));
  }
}
