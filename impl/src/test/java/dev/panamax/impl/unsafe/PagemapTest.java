package dev.panamax.impl.unsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PagemapTest {
  private static final long PRESENT = 1L << 63;

  /** A fake page map: entry 5 present with PFN 0x1234 (plus flag bits), 6 absent, 7 PFN 0. */
  private static Path fake(Path dir) throws Exception {
    final ByteBuffer entries = ByteBuffer.allocate(8 * 8).order(ByteOrder.LITTLE_ENDIAN);
    entries.putLong(5 * 8, PRESENT | (1L << 61) | (1L << 55) | 0x1234);
    entries.putLong(6 * 8, 0x1234);
    entries.putLong(7 * 8, PRESENT);
    final Path file = dir.resolve("pagemap");
    Files.write(file, entries.array());
    return file;
  }

  @Test
  void presentPageTranslatesToFrameTimesPageSizePlusOffset(@TempDir Path dir) throws Exception {
    try (Pagemap map = Pagemap.open(fake(dir))) {
      assertEquals(0x1234L * 4096 + 0x10, map.physicalAddress(5 * 4096 + 0x10));
      assertEquals(0x1234L * 4096 + 4095, map.physicalAddress(5 * 4096 + 4095));
    }
  }

  @Test
  void pageNotPresentIsAnError(@TempDir Path dir) throws Exception {
    try (Pagemap map = Pagemap.open(fake(dir))) {
      final DmaException e = assertThrows(DmaException.class, () -> map.physicalAddress(6 * 4096));
      assertTrue(e.getMessage().contains("0x6000 is not present"), e.getMessage());
    }
  }

  @Test
  void frameNumberZeroTellsToRunAsRoot(@TempDir Path dir) throws Exception {
    try (Pagemap map = Pagemap.open(fake(dir))) {
      final DmaException e = assertThrows(DmaException.class, () -> map.physicalAddress(7 * 4096));
      assertTrue(e.getMessage().contains(
          "run as root: without CAP_SYS_ADMIN the kernel hides physical frame numbers"), e.getMessage());
    }
  }

  @Test
  void addressBeyondTheFileIsAnError(@TempDir Path dir) throws Exception {
    try (Pagemap map = Pagemap.open(fake(dir))) {
      final DmaException e = assertThrows(DmaException.class, () -> map.physicalAddress(100 * 4096));
      assertTrue(e.getMessage().contains("has no entry"), e.getMessage());
    }
    assertThrows(DmaException.class, () -> Pagemap.open(dir.resolve("missing")));
  }

  @Test
  void realPagemapTranslatesATouchedPageAsRoot() {
    try (Arena arena = Arena.ofConfined(); Pagemap map = Pagemap.open(Pagemap.SELF)) {
      final MemorySegment page = arena.allocate(2 * 4096, 4096);
      page.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
      page.set(ValueLayout.JAVA_BYTE, 4096, (byte) 1);
      final long physical = map.physicalAddress(page, 0);
      assertNotEquals(0, physical, "physical address of a touched page");
      assertEquals(0, physical & 4095, "a page-aligned address maps to a frame start");
      assertEquals(physical + 100, map.physicalAddress(page, 100));
      assertThrows(IndexOutOfBoundsException.class, () -> map.physicalAddress(page, 2 * 4096));
    }
  }
}
