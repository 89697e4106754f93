package dev.panamax.impl.vfio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native calls of the VFIO path, on ordinary files and an eventfd (this machine has no VFIO
 * device; the test bed drives real ones): results are checked, errno becomes a named message, and
 * memory the kernel writes stays inside the caller's segment.
 */
class SysTest {
  @Test
  void callsMadeWhileTheHandlesAreLinkedAheadWaitForThemAndWork() throws Exception {
    final Thread linking = Sys.linkAhead();
    assertEquals("panamax-vfio-link", linking.getName());
    assertTrue(linking.isDaemon(), "a linking thread must not keep an app's JVM alive");
    final int fd = Sys.eventfd(); // right away: waits for the handles if they are not made yet
    try {
      assertTrue(fd >= 0, "eventfd " + fd);
    } finally {
      Sys.closeQuietly(fd);
    }
    linking.join(60_000);
    assertFalse(linking.isAlive(), "the linking thread did not end");
  }

  @Test
  void aFailedCallNamesTheCallAndErrno() {
    final IOException e = assertThrows(IOException.class, () -> Sys.open("/nonexistent/vfio"));
    assertEquals("open /nonexistent/vfio: ENOENT (no such file)", e.getMessage());
  }

  @Test
  void positionalReadAndWriteMoveExactlyTheSegment(@TempDir Path dir) throws IOException {
    final Path file = Files.write(dir.resolve("f"), new byte[64]);
    final int fd = Sys.open(file.toString());
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment out = arena.allocateFrom(ValueLayout.JAVA_BYTE, (byte) 1, (byte) 2, (byte) 3);
      Sys.pwrite(fd, out, 10, "write");
      final MemorySegment in = arena.allocate(5);
      Sys.pread(fd, in, 9, "read");
      assertArrayEquals(new byte[] {0, 1, 2, 3, 0}, in.toArray(ValueLayout.JAVA_BYTE));
      final IOException shortRead = assertThrows(IOException.class,
          () -> Sys.pread(fd, arena.allocate(8), 60, "read config"));
      assertEquals("read config: read 4 of 8 bytes", shortRead.getMessage());
    } finally {
      Sys.closeQuietly(fd);
    }
  }

  @Test
  void anIoctlAFileDoesNotKnowIsRefusedByName(@TempDir Path dir) throws IOException {
    final int fd = Sys.open(Files.write(dir.resolve("f"), new byte[8]).toString());
    try {
      final IOException e = assertThrows(IOException.class,
          () -> Sys.ioctl(fd, VfioContainer.GET_API_VERSION, 0, "VFIO_GET_API_VERSION"));
      assertEquals("VFIO_GET_API_VERSION: ENOTTY (not supported by this file)", e.getMessage());
    } finally {
      Sys.closeQuietly(fd);
    }
  }

  @Test
  void aMappingIsSharedWithTheFileAndEndsWithItsArena(@TempDir Path dir) throws IOException {
    final Path file = Files.write(dir.resolve("f"), new byte[8192]);
    final int fd = Sys.open(file.toString());
    final MemorySegment mapped;
    try (Arena arena = Arena.ofConfined()) {
      mapped = Sys.mmap(fd, 4096, 4096, arena, "mmap");
      assertEquals(4096, mapped.byteSize());
      mapped.set(ValueLayout.JAVA_INT, 0, 0x11223344);
      assertEquals(0x44, Files.readAllBytes(file)[4096]);
    } finally {
      Sys.closeQuietly(fd);
    }
    assertThrows(IllegalStateException.class, () -> mapped.get(ValueLayout.JAVA_INT, 0));
  }

  @Test
  void anEventfdWaitTimesOutWithNothingSignalled() throws IOException {
    final int fd = Sys.eventfd();
    try (Arena arena = Arena.ofConfined()) {
      final Sys.Waiter waiter = new Sys.Waiter(fd, arena);
      final long start = System.nanoTime();
      assertEquals(0, waiter.await(50));
      assertTrue(System.nanoTime() - start >= 40_000_000L, "it waited");
    } finally {
      Sys.closeQuietly(fd);
    }
  }

  @Test
  void withoutVfioTheContainerSaysWhatToLoad() {
    assumeFalse(Files.exists(Path.of("/dev/vfio/vfio")), "this machine has VFIO; the test bed covers it");
    final IOException e = assertThrows(IOException.class,
        () -> VfioContainer.attach(0, Path.of("/sys/kernel/iommu_groups/0/devices")));
    assertEquals("open /dev/vfio/vfio: ENOENT (no such file); load the module with 'modprobe vfio-pci'",
        e.getMessage());
    assertEquals(0, VfioContainer.mappedBlocks());
  }
}
