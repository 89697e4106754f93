package dev.panamax.impl.unsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.channels.FileChannel.MapMode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The refusals of {@link BusAddresses}. Translating real hugepages and the addresses it yields are
 * tested with the allocator, in {@code dev.panamax.impl.dma.HugepagesTest}.
 */
class BusAddressesTest {
  private static final long PRESENT = 1L << 63;

  @Test
  void anUntouchedPageHasNoFrameAndIsRefused(@TempDir Path dir) throws IOException {
    // A mapped file page gets its frame on first touch only: translating before that must fail,
    // which is why the hugepage allocator touches every page first.
    try (Arena arena = Arena.ofConfined();
        FileChannel file = FileChannel.open(dir.resolve("sparse"), CREATE_NEW, READ, WRITE)) {
      final MemorySegment untouched = file.map(MapMode.READ_WRITE, 0, 4L << 20, arena);
      final IOException e =
          assertThrows(IOException.class, () -> BusAddresses.translate(untouched, "a sparse file"));
      assertTrue(e.getMessage().startsWith("a sparse file: page at virtual address 0x")
          && e.getMessage().endsWith("has no usable frame in /proc/self/pagemap: not present"), e.getMessage());
    }
  }

  @Test
  void memoryThatDoesNotStartOn2MiBFramesIsRefused() {
    try (Arena arena = Arena.ofConfined()) {
      // Ordinary memory 4 KiB past a 2 MiB boundary: it is present, but its pages do
      // not start 2 MiB frames, so an address derived from it could run past a frame.
      final MemorySegment memory = arena.allocate(10L << 20, 2L << 20).asSlice(4096, 8L << 20);
      memory.fill((byte) 1);
      final IOException e = assertThrows(IOException.class, () -> BusAddresses.translate(memory, "ordinary memory"));
      assertTrue(e.getMessage().startsWith("ordinary memory: page at virtual address 0x")
          && e.getMessage().contains("not 2 MiB aligned"), e.getMessage());
    }
  }

  @Test
  void aPresentEntryGivesItsFrameNumberTimes4KiB() throws IOException {
    // Flag bits above the frame number (soft-dirty 55, exclusive 56, file 61) are ignored.
    final long entry = PRESENT | (1L << 61) | (1L << 56) | (1L << 55) | 0x1200;
    assertEquals(0x1200L * 4096, BusAddresses.frame(entry, 0x7f00_0000_0000L, "test"));
  }

  @Test
  void pageNotPresentIsAnError() {
    final IOException e = assertThrows(IOException.class, () -> BusAddresses.frame(0x1200, 0x6000, "test"));
    assertTrue(e.getMessage().contains("virtual address 0x6000") && e.getMessage().endsWith("not present"),
        e.getMessage());
  }

  @Test
  void frameNumberZeroTellsToRunAsRoot() {
    final IOException e = assertThrows(IOException.class, () -> BusAddresses.frame(PRESENT, 0x7000, "test"));
    assertTrue(e.getMessage().contains(
        "run as root: without CAP_SYS_ADMIN the kernel hides physical frame numbers"), e.getMessage());
  }

  @Test
  void aFrameNotOn2MiBIsRefused() {
    final IOException e = assertThrows(IOException.class, () -> BusAddresses.frame(PRESENT | 0x1201, 0, "test"));
    assertTrue(e.getMessage().contains("not 2 MiB aligned"), e.getMessage());
  }
}
