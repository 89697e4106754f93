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
  private final Mmio regs = new Mmio(memory);

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
  void outOfBoundsAccessIsRefused() {
    assertThrows(IndexOutOfBoundsException.class, () -> regs.read32(64));
    assertThrows(IndexOutOfBoundsException.class, () -> regs.read32(-4));
    assertThrows(IndexOutOfBoundsException.class, () -> regs.write32(64, 1));
    assertThrows(IndexOutOfBoundsException.class, () -> regs.write32(62, 1)); // straddles the end
    assertThrows(IndexOutOfBoundsException.class, () -> regs.read8(64));
    assertThrows(IndexOutOfBoundsException.class, () -> regs.write16(Long.MAX_VALUE - 1, (short) 0));
    regs.read32(60); // the last full register is fine
  }

  @Test
  void misalignedAccessIsRefusedAndWritesNothing() {
    final IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> regs.write32(2, -1));
    assertTrue(e.getMessage().contains("alignment constraint 4"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> regs.read16(1));
    assertThrows(IllegalArgumentException.class, () -> regs.write16(7, (short) -1));
    assertArrayEquals(new byte[8], bytes(0, 8)); // nothing was written
  }

  @Test
  void alignmentIsCheckedAtTheRealAddressNotTheOffset() {
    final Mmio odd = new Mmio(memory.asSlice(1));
    assertThrows(IllegalArgumentException.class, () -> odd.read32(0)); // address 8k + 1
    odd.write32(3, 0x01020304); // offset 3 is address 8k + 4: aligned, so allowed
    assertEquals(0x01020304, regs.read32(4));
    assertThrows(IllegalArgumentException.class, () -> odd.write16(0, (short) 1));
    odd.write8(0, (byte) 7); // byte registers need no alignment
    assertEquals(7, memory.get(ValueLayout.JAVA_BYTE, 1));
    final Mmio heap = new Mmio(MemorySegment.ofArray(new byte[16])); // a byte[] is only 1-byte aligned
    assertThrows(IllegalArgumentException.class, () -> heap.read32(0));
  }

  @Test
  void aClosedWindowRefusesEveryAccess() {
    final Arena other = Arena.ofConfined();
    final Mmio closed = new Mmio(other.allocate(16, 8));
    other.close();
    assertThrows(IllegalStateException.class, () -> closed.read32(0));
    assertThrows(IllegalStateException.class, () -> closed.write8(0, (byte) 1));
  }
}
