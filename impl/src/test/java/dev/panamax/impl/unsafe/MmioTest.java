package dev.panamax.impl.unsafe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MmioTest {
  private final Arena arena = Arena.ofConfined();
  private final MemorySegment memory = arena.allocate(64, 8);
  private final Mmio regs = Mmio.of(memory, "test-dev");

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

    regs.write64(0x10, 0x0102030405060708L);
    assertArrayEquals(new byte[] {8, 7, 6, 5, 4, 3, 2, 1}, bytes(0x10, 8));
    assertEquals(0x0102030405060708L, regs.read64(0x10));
  }

  @Test
  void readsLittleEndianBytesWrittenByTheDevice() {
    memory.asSlice(0x20, 4).copyFrom(MemorySegment.ofArray(new byte[] {0x01, 0x00, 0x00, (byte) 0x80}));
    assertEquals(0x80000001, regs.read32(0x20));
    assertEquals(64, regs.size());
    assertEquals("test-dev", regs.device());
  }

  @Test
  void outOfBoundsAccessIsRefusedWithDeviceName() {
    final IndexOutOfBoundsException e =
        assertThrows(IndexOutOfBoundsException.class, () -> regs.read32(64));
    assertTrue(e.getMessage().contains("test-dev") && e.getMessage().contains("outside"), e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> regs.read32(-4));
    assertThrows(IndexOutOfBoundsException.class, () -> regs.write64(64, 1));
    assertThrows(IndexOutOfBoundsException.class, () -> regs.read8(64));
    assertThrows(IndexOutOfBoundsException.class, () -> regs.write16(Long.MAX_VALUE - 1, (short) 0));
    regs.read64(56); // the last full register is fine
  }

  @Test
  void misalignedAccessIsRefused() {
    final IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> regs.write32(2, 1));
    assertTrue(e.getMessage().contains("test-dev") && e.getMessage().contains("not 4-byte aligned"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> regs.read16(1));
    assertThrows(IllegalArgumentException.class, () -> regs.read64(4));
    assertEquals(0, bytes(0, 8)[2]); // nothing was written
  }

  @Test
  void refusesHeapAndMisalignedSegments() {
    assertThrows(IllegalArgumentException.class,
        () -> Mmio.of(MemorySegment.ofArray(new byte[16]), "heap"));
    assertThrows(IllegalArgumentException.class, () -> Mmio.of(memory.asSlice(1), "odd"));
  }

  @Test
  void mapsAResourceFileSharedWithTheFile(@TempDir Path dir) throws Exception {
    final Path resource = dir.resolve("resource0");
    final ByteBuffer content = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    content.putInt(0x8, 0x80080783);
    Files.write(resource, content.array());
    try (Arena mapArena = Arena.ofConfined()) {
      final Mmio bar = Mmio.map(resource, 4096, mapArena, "0000:00:04.0");
      assertEquals(4096, bar.size());
      assertEquals(0x80080783, bar.read32(0x8));
      bar.write32(0x10, 0xCAFEF00D);
    }
    final ByteBuffer after = ByteBuffer.wrap(Files.readAllBytes(resource)).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(0xCAFEF00D, after.getInt(0x10));
  }

  @Test
  void mappingMoreThanTheFileFailsNamingTheDevice(@TempDir Path dir) throws Exception {
    final Path resource = dir.resolve("resource0");
    Files.write(resource, new byte[4096]);
    final UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> Mmio.map(resource, 8192, arena, "0000:00:04.0"));
    assertTrue(e.getMessage().contains("0000:00:04.0") && e.getMessage().contains("resource0"), e.getMessage());
    assertEquals(4096, Files.size(resource)); // not extended
  }
}
