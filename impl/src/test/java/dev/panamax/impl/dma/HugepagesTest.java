package dev.panamax.impl.dma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.panamax.impl.unsafe.BusAddresses;
import dev.panamax.impl.unsafe.Mmio;
import dev.panamax.impl.unsafe.Pagemaps;
import dev.panamax.impl.unsafe.PortIo;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Allocates real hugepages on the host. The fixture needs root: it raises
 * /proc/sys/vm/nr_hugepages if fewer than {@link #WANTED} pages are free, and mounts hugetlbfs
 * on a temporary directory; {@link #tearDown} undoes both. Without root the tests fail.
 */
class HugepagesTest {
  private static final long MIB2 = 2L << 20;
  private static final int WANTED = 8;
  private static final Path NR = Path.of("/proc/sys/vm/nr_hugepages");

  private static @Nullable Path mount;
  private static boolean mounted;
  private static long added;

  @BeforeAll
  static void setUp() throws Exception {
    if (!Files.isWritable(NR)) {
      fail("hugepage tests need root: cannot write " + NR + " (run the build as root)");
    }
    final long missing = WANTED - available();
    if (missing > 0) {
      added = missing;
      Files.writeString(NR, Long.toString(counter("nr_hugepages") + missing));
      if (available() < WANTED) {
        fail("could not get " + WANTED + " free 2 MiB hugepages (only " + available()
            + " after raising " + NR + "): not enough contiguous free memory?");
      }
    }
    final Path dir = Files.createTempDirectory("panamax-huge-");
    mount = dir;
    run("mount", "-t", "hugetlbfs", "-o", "pagesize=2M", "nodev", dir.toString());
    mounted = true;
  }

  @AfterAll
  static void tearDown() throws Exception {
    final Path dir = mount;
    if (dir != null) {
      if (mounted) {
        run("umount", dir.toString());
      }
      Files.delete(dir);
    }
    if (added > 0) { // give back only what we added, in case someone else raised it meanwhile
      Files.writeString(NR, Long.toString(Math.max(0, counter("nr_hugepages") - added)));
    }
  }

  private static Path mount() {
    final Path dir = mount;
    if (dir == null) {
      throw new IllegalStateException("fixture did not mount hugetlbfs");
    }
    return dir;
  }

  private static void run(String... command) throws Exception {
    final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      fail(String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + output);
    }
  }

  private static long counter(String name) throws Exception {
    return Long.parseLong(Files.readString(Hugepages.POOL.resolve(name)).trim());
  }

  private static long available() throws Exception {
    return counter("free_hugepages") - counter("resv_hugepages");
  }

  private static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  /** Every file left anywhere in a directory tree (the panamax directory itself may stay). */
  private static List<Path> regularFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  /** The bus address of {@code offset}, as a driver would program it into RDBAL/RDBAH. */
  private static long bus(DmaMemory memory, long offset) {
    try (Arena arena = Arena.ofConfined()) {
      final Mmio registers = new Mmio(arena.allocate(16, 8));
      memory.programAddressRegisters(registers, 0x0, 0x4, offset);
      return Integer.toUnsignedLong(registers.read32(0x0)) | (long) registers.read32(0x4) << 32;
    }
  }

  @Test
  void allocatesLockedPagesWithAlignedPhysicalAddressesAndLeavesNoFile() throws Exception {
    try (Arena arena = Arena.ofConfined()) {
      final DmaMemory memory = DmaMemory.allocateHugepages(arena, 3L << 20, mount());
      assertEquals(4L << 20, memory.size(), "3 MiB rounds up to two 2 MiB pages");
      assertTrue(memory.isDeviceReachable(false));
      assertEquals("hugepages in " + mount(), memory.description());
      assertEquals(List.of(), regularFiles(mount()),
          "the backing file, created in the mount's panamax directory, is unlinked right after mapping");
      assertTrue(Files.isDirectory(mount().resolve(DmaFiles.DIRECTORY)),
          "created in the panamax directory, which bind makes writable for users");

      final long page0 = bus(memory, 0);
      final long page1 = bus(memory, MIB2);
      for (long physical : new long[] {page0, page1}) {
        assertNotEquals(0, physical);
        assertEquals(0, physical & (MIB2 - 1), "2 MiB aligned: 0x" + Long.toHexString(physical));
      }
      assertNotEquals(page0, page1);
      assertEquals(page1 + 0x1234, bus(memory, MIB2 + 0x1234));
      // An independent translation, through the 4 KiB page entry, agrees.
      assertEquals(page1 + 4096 + 12, Pagemaps.physical(memory.segment(), MIB2 + 4096 + 12));

      final MemorySegment segment = memory.segment();
      for (long offset = 0; offset < segment.byteSize(); offset += 4096) {
        segment.set(ValueLayout.JAVA_LONG, offset, offset * 31);
      }
      for (long offset = 0; offset < segment.byteSize(); offset += 4096) {
        assertEquals(offset * 31, segment.get(ValueLayout.JAVA_LONG, offset));
      }

      final MemorySegment descriptor = arena.allocate(16);
      memory.writeBusAddressLe64(false, descriptor, 8, MIB2 + 64);
      assertEquals(page1 + 64, descriptor.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 8));
      assertEquals((byte) (page1 + 64), descriptor.get(ValueLayout.JAVA_BYTE, 8), "low byte first");
      assertEquals(0, descriptor.get(ValueLayout.JAVA_LONG, 0), "nothing written before the target");
      assertThrows(IndexOutOfBoundsException.class, () -> memory.writeBusAddressLe64(false, descriptor, 0, 4L << 20));
      assertThrows(IndexOutOfBoundsException.class, () -> memory.writeBusAddressLe64(false, descriptor, 0, -1));
    }
  }

  @Test
  void deviceMemoryKeepsItsNamedFileUntilDeleted() throws Exception {
    final String name = DmaFiles.name("0000:09:00.0", ProcessHandle.current().pid(), "rings");
    final Path file = mount().resolve(DmaFiles.DIRECTORY).resolve(name);
    try (Arena arena = Arena.ofConfined()) {
      final DmaMemory memory = DmaMemory.allocateDeviceHugepages(arena, 3L << 20, mount(), name);
      assertEquals(4L << 20, memory.size());
      assertTrue(Files.exists(file), "kept while a device may use the memory");
      assertEquals(4L << 20, Files.size(file));
      final Path mounts = Files.writeString(Files.createTempFile("mounts", ""),
          "nodev " + mount() + " hugetlbfs rw,pagesize=2M 0 0\n");
      final List<DmaFiles.Found> found = DmaFiles.find("0000:09:00.0", mounts);
      assertEquals(List.of(new DmaFiles.Found(file, ProcessHandle.current().pid(), 4L << 20)), found);
      assertEquals(List.of(), DmaFiles.find("0000:09:00.1", mounts));
      DmaFiles.delete(found);
      assertTrue(!Files.exists(file));
      Files.delete(mounts);
      // The mapping stays valid after the file is gone; its pages go back when it is unmapped.
      memory.segment().set(ValueLayout.JAVA_LONG, 0, 42);
    }
    Files.delete(mount().resolve(DmaFiles.DIRECTORY));
  }

  @Test
  void aKeptFileIsDeletedWhenTheAllocationFails() throws Exception {
    final String name = DmaFiles.name("0000:09:00.0", ProcessHandle.current().pid(), "rx");
    try (Arena arena = Arena.ofConfined()) {
      final DmaException e = assertThrows(DmaException.class, () -> Hugepages.allocate(
          arena, MIB2, mount(), name, Hugepages.PROC_MOUNTS, Hugepages.POOL, (memory, description) -> {
            throw new IOException(description + ": refused");
          }));
      assertEquals("hugepages in " + mount() + ": refused", e.getMessage());
    }
    assertEquals(List.of(), files(mount().resolve(DmaFiles.DIRECTORY)));
    Files.delete(mount().resolve(DmaFiles.DIRECTORY));
  }

  @Test
  void legacyQueueAddressIsThePageFrameNumber(@TempDir Path dir) throws Exception {
    final Path file = Files.write(dir.resolve("resource0"), new byte[16]);
    try (Arena arena = Arena.ofConfined();
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      final PortIo ports = new PortIo(channel, 16, "dev");
      final DmaMemory memory = DmaMemory.allocateHugepages(arena, MIB2, mount());
      memory.programPageFrame32(ports, 0x8, 0x3000);
      assertEquals((bus(memory, 0) + 0x3000) >>> 12, Integer.toUnsignedLong(ports.in(0x8, 4)));
      final DmaException e = assertThrows(DmaException.class, () -> memory.programPageFrame32(ports, 0x8, 0x3010));
      assertTrue(e.getMessage().equals("hugepages in " + mount()
          + ": a legacy virtqueue needs a 4 KiB aligned address below 2^44"), e.getMessage());
    }
  }

  @Test
  void virtualMemoryCannotBeGivenToADevice() {
    try (Arena arena = Arena.ofConfined()) {
      final DmaMemory memory = DmaMemory.allocateVirtual(arena, 4096);
      assertTrue(!memory.isDeviceReachable(false));
      final DmaException e = assertThrows(DmaException.class,
          () -> memory.writeBusAddressLe64(false, arena.allocate(8), 0, 0));
      assertEquals("virtual memory cannot be given to a device: it has no physical address", e.getMessage());
    }
  }

  @Test
  void nullMountPointFindsAHugetlbfsMount() {
    try (Arena arena = Arena.ofConfined()) {
      final DmaMemory memory = DmaMemory.allocateHugepages(arena, 1, null);
      assertEquals(MIB2, memory.size());
      assertTrue(memory.description().startsWith("hugepages in "), memory.description());
      assertNotEquals(0, bus(memory, 0));
    }
  }

  @Test
  void plainDirectoryIsRefusedAndNothingIsCreated(@TempDir Path plain) throws Exception {
    try (Arena arena = Arena.ofConfined()) {
      final DmaException e =
          assertThrows(DmaException.class, () -> DmaMemory.allocateHugepages(arena, MIB2, plain));
      assertTrue(e.getMessage().contains(plain + " is not a hugetlbfs mount")
          && e.getMessage().contains("mkdir -p /mnt/huge && mount -t hugetlbfs nodev /mnt/huge"), e.getMessage());
    }
    assertEquals(List.of(), files(plain));
  }

  @Test
  void moreThanTheFreePagesIsRefusedBeforeMappingAndLeavesNoFile() throws Exception {
    final long needed = available() + 1;
    try (Arena arena = Arena.ofConfined()) {
      final DmaException e = assertThrows(DmaException.class,
          () -> DmaMemory.allocateHugepages(arena, needed * MIB2, mount()));
      assertTrue(e.getMessage().contains("not enough free 2 MiB hugepages: need " + needed + ", " + (needed - 1) + " free")
          && e.getMessage().contains("> /proc/sys/vm/nr_hugepages`"), e.getMessage());
    }
    assertEquals(List.of(), regularFiles(mount()));
  }

  @Test
  void mappingFailureLeavesNoFile(@TempDir Path fakePool) throws Exception {
    // The counters lie (plenty free), so the kernel's own reservation at mmap time refuses.
    Files.writeString(fakePool.resolve("free_hugepages"), "1000000\n");
    Files.writeString(fakePool.resolve("resv_hugepages"), "0\n");
    Files.writeString(fakePool.resolve("nr_hugepages"), "1000000\n");
    final long pages = available() + 1;
    try (Arena arena = Arena.ofConfined()) {
      final DmaException e = assertThrows(DmaException.class, () -> Hugepages.allocate(
          arena, pages * MIB2, mount(), null, Hugepages.PROC_MOUNTS, fakePool, (m, d) -> fail("mapping succeeded")));
      assertTrue(e.getMessage().contains("mapping " + pages + " hugepages in " + mount() + " failed"), e.getMessage());
    }
    assertEquals(List.of(), regularFiles(mount()));
  }

  @Test
  void translationFailureAfterMappingLeavesNoFile() throws Exception {
    try (Arena arena = Arena.ofConfined()) {
      final DmaException e = assertThrows(DmaException.class, () -> Hugepages.allocate(
          arena, MIB2, mount(), null, Hugepages.PROC_MOUNTS, Hugepages.POOL, (memory, description) -> {
            assertEquals(List.of(), regularFiles(mount()), "unlinked before the translation step");
            throw new IOException(description + ": refused");
          }));
      assertEquals("hugepages in " + mount() + ": refused", e.getMessage());
    }
    assertEquals(List.of(), regularFiles(mount()));
  }

  @Test
  void findsTheFirst2MiBMountAndDecodesEscapes(@TempDir Path dir) throws Exception {
    final Path mounts = dir.resolve("mounts");
    Files.writeString(mounts, """
        /dev/vda1 / ext4 rw,relatime 0 0
        nodev /mnt/giant hugetlbfs rw,relatime,pagesize=1024M 0 0
        nodev /mnt/my\\040huge hugetlbfs rw,relatime,pagesize=2M 0 0
        nodev /mnt/later hugetlbfs rw,relatime 0 0
        """);
    assertEquals(Path.of("/mnt/my huge"), Hugepages.findMount(mounts));
  }

  @Test
  void noMountTellsHowToMountOne(@TempDir Path dir) throws Exception {
    final Path mounts = dir.resolve("mounts");
    Files.writeString(mounts, "/dev/vda1 / ext4 rw,relatime 0 0\nproc /proc proc rw 0 0\n");
    try (Arena arena = Arena.ofConfined()) {
      final DmaException e = assertThrows(DmaException.class, () -> Hugepages.allocate(
          arena, MIB2, null, null, mounts, Hugepages.POOL, BusAddresses::translate));
      assertTrue(e.getMessage().startsWith("no hugetlbfs with 2 MiB pages is mounted")
          && e.getMessage().contains("mkdir -p /mnt/huge && mount -t hugetlbfs nodev /mnt/huge"), e.getMessage());
    }
  }

  @Test
  void nonPositiveSizeIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> DmaMemory.allocateHugepages(Arena.global(), 0, mount()));
  }
}
