package dev.panamax.impl.dma;

import dev.panamax.impl.unsafe.BusAddresses;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Allocator of 2 MiB hugepage memory with known physical addresses, behind
 * {@link DmaMemory#allocateHugepages}.
 *
 * <p>Steps: find or check a hugetlbfs mount; check that enough hugepages are free (a hugetlbfs
 * mapping that cannot get its pages would die with SIGBUS on first touch, so this is checked
 * before any page is touched); create a uniquely named file, map it with
 * {@link FileChannel#map(FileChannel.MapMode, long, long, Arena)} and unlink it at once, so
 * nothing is left in the mount even after a crash (a device's own rings and receive buffers are
 * the exception: their files are kept while the device may write to them, see {@link
 * DmaFiles}); touch every page, so each one has its frame
 * (hugetlbfs pages are never swapped out, so the frame stays); then {@link
 * BusAddresses#translate} reads each page's bus address. The mapping belongs to the
 * caller's arena and is released when that arena closes, also when a step after mapping fails.
 */
final class Hugepages {
  /** log2 of the hugepage size, as {@link BusAddresses} translates it. */
  static final int PAGE_SHIFT = BusAddresses.PAGE_SHIFT;

  /** The hugepage size, 2 MiB. */
  static final long PAGE_SIZE = 1L << PAGE_SHIFT;

  /** Where the kernel lists mounted file systems. */
  static final Path PROC_MOUNTS = Path.of("/proc/mounts");

  /** The kernel's 2 MiB hugepage pool counters. */
  static final Path POOL = Path.of("/sys/kernel/mm/hugepages/hugepages-2048kB");

  private static final String MOUNT_HINT =
      "as root run `mkdir -p /mnt/huge && mount -t hugetlbfs nodev /mnt/huge`";

  private Hugepages() {}

  /** The last step, replaceable in tests: read the bus addresses of the touched mapping. */
  @FunctionalInterface
  interface Translator {
    /**
     * Translates.
     *
     * @param memory the touched mapping
     * @param description names it in messages
     * @return its bus addresses, or {@code null} if this process may not read them (not root)
     * @throws IOException with the reason and the remedy
     */
    @Nullable BusAddresses translate(MemorySegment memory, String description) throws IOException;
  }

  /**
   * Reads the physical addresses when this process is root; for any other user the kernel hides
   * them, and the memory can reach a device only through the IOMMU.
   *
   * @param memory the touched mapping
   * @param description names it in messages
   * @return the addresses, or {@code null} if not root
   * @throws IOException if root cannot read them
   */
  static @Nullable BusAddresses translateAsRoot(MemorySegment memory, String description)
      throws IOException {
    // /proc/self belongs to the effective user (proc(5)).
    return "root".equals(Files.getOwner(Path.of("/proc/self")).getName())
        ? BusAddresses.translate(memory, description) : null;
  }

  /**
   * Allocates hugepage memory using the real system files.
   *
   * @param arena owner of the mapping
   * @param size bytes, rounded up to whole 2 MiB pages
   * @param mountPoint a hugetlbfs mount, or {@code null} to find one in /proc/mounts
   * @return translated memory
   * @throws DmaException with the reason and the remedy
   */
  static DmaMemory allocate(Arena arena, long size, @Nullable Path mountPoint) {
    return allocate(arena, size, mountPoint, null, PROC_MOUNTS, POOL, Hugepages::translateAsRoot);
  }

  /**
   * Allocates hugepage memory using the real system files, backed by a file that is kept.
   *
   * @param arena owner of the mapping
   * @param size bytes, rounded up to whole 2 MiB pages
   * @param mountPoint a hugetlbfs mount, or {@code null} to find one in /proc/mounts
   * @param keepAs the file's name in the mount's {@value DmaFiles#DIRECTORY} directory, kept
   *     after mapping (see {@link DmaFiles}); {@code null} unlinks the file at once
   * @return translated memory
   * @throws DmaException with the reason and the remedy
   */
  static DmaMemory allocate(Arena arena, long size, @Nullable Path mountPoint, @Nullable String keepAs) {
    return allocate(arena, size, mountPoint, keepAs, PROC_MOUNTS, POOL, Hugepages::translateAsRoot);
  }

  /**
   * Allocates hugepage memory.
   *
   * @param arena owner of the mapping
   * @param size bytes, rounded up to whole 2 MiB pages
   * @param mountPoint a hugetlbfs mount, or {@code null} to find one in {@code procMounts}
   * @param keepAs name of a file to keep in the mount's {@value DmaFiles#DIRECTORY} directory,
   *     or {@code null} to unlink the file right after mapping
   * @param procMounts the mount table ({@link #PROC_MOUNTS})
   * @param pool the 2 MiB pool counters directory ({@link #POOL})
   * @param translator the last step ({@link BusAddresses#translate})
   * @return translated memory
   * @throws DmaException with the reason and the remedy; a kept file is deleted again
   */
  static DmaMemory allocate(Arena arena, long size, @Nullable Path mountPoint, @Nullable String keepAs,
      Path procMounts, Path pool, Translator translator) {
    if (size <= 0) {
      throw new IllegalArgumentException("hugepage allocation size must be positive: " + size);
    }
    final long bytes = Math.addExact(size, PAGE_SIZE - 1) & -PAGE_SIZE;
    final int pages = Math.toIntExact(bytes >>> PAGE_SHIFT);
    final Path mount = checkMount(mountPoint != null ? mountPoint : findMount(procMounts));
    checkFree(pool, pages);
    final Path file = create(mount, keepAs);
    try {
      final MemorySegment segment = map(file, mount, bytes, arena);
      if (keepAs == null) {
        unlink(file);
      }
      final String description = "hugepages in " + mount;
      for (int i = 0; i < pages; i++) {
        segment.set(ValueLayout.JAVA_BYTE, (long) i << PAGE_SHIFT, (byte) 0); // fault the page in
      }
      final BusAddresses physical = translator.translate(segment, description);
      return new DmaMemory(segment, physical, physical != null ? "" : description
          + ": physical addresses are hidden from this process (not root); it can be given to a"
          + " device only through VFIO (--dma vfio)", description, true);
    } catch (IOException e) {
      deleteQuietly(file);
      throw new DmaException(String.valueOf(e.getMessage()), e);
    } catch (RuntimeException e) {
      deleteQuietly(file);
      throw e;
    }
  }

  /**
   * Finds the first hugetlbfs mount with 2 MiB pages in a mount table.
   *
   * @param procMounts a file in /proc/mounts format
   * @return the mount point
   * @throws DmaException if none is mounted, with the command that mounts one
   */
  static Path findMount(Path procMounts) {
    final List<String> lines;
    try {
      lines = Files.readAllLines(procMounts);
    } catch (IOException e) {
      throw new DmaException("cannot read " + procMounts + " to find hugetlbfs: " + e, e);
    }
    for (String line : lines) {
      final String[] f = line.split(" ", -1);
      if (f.length >= 4 && f[2].equals("hugetlbfs")
          && (!f[3].contains("pagesize=") || f[3].contains("pagesize=2M"))) {
        return Path.of(unescape(f[1]));
      }
    }
    throw new DmaException(
        "no hugetlbfs with 2 MiB pages is mounted (none in " + procMounts + "): " + MOUNT_HINT);
  }

  /**
   * Lists every hugetlbfs mount of a mount table, whatever its page size.
   *
   * @param procMounts a file in /proc/mounts format
   * @return the mount points, in table order
   * @throws DmaException if the table cannot be read
   */
  static List<Path> mounts(Path procMounts) {
    final List<String> lines;
    try {
      lines = Files.readAllLines(procMounts);
    } catch (IOException e) {
      throw new DmaException("cannot read " + procMounts + " to find hugetlbfs: " + e, e);
    }
    final List<Path> mounts = new java.util.ArrayList<>();
    for (String line : lines) {
      final String[] f = line.split(" ", -1);
      if (f.length >= 3 && f[2].equals("hugetlbfs")) {
        mounts.add(Path.of(unescape(f[1])));
      }
    }
    return mounts;
  }

  /** Decodes the octal escapes (\040 for space) the kernel uses in mount tables. */
  static String unescape(String field) {
    final StringBuilder out = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      final char c = field.charAt(i);
      if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static Path checkMount(Path mount) {
    final FileStore store;
    try {
      store = Files.getFileStore(mount);
      if (!store.type().equals("hugetlbfs")) {
        throw new DmaException(
            mount + " is not a hugetlbfs mount (it is " + store.type() + "): pass a hugetlbfs"
                + " mount point or null to find one; to create one " + MOUNT_HINT);
      }
      if (store.getBlockSize() != PAGE_SIZE) {
        throw new DmaException(
            mount + " is a hugetlbfs mount with " + store.getBlockSize() + "-byte pages; Panamax"
                + " needs 2 MiB pages: mount -t hugetlbfs -o pagesize=2M nodev DIR");
      }
    } catch (IOException e) {
      throw new DmaException("cannot use " + mount + " as a hugetlbfs mount: " + e, e);
    }
    return mount;
  }

  private static void checkFree(Path pool, int needed) {
    final long free = readCounter(pool, "free_hugepages");
    final long reserved = readCounter(pool, "resv_hugepages");
    final long available = free - reserved;
    if (available < needed) {
      final long total = readCounter(pool, "nr_hugepages") + needed - available;
      throw new DmaException(
          "not enough free 2 MiB hugepages: need " + needed + ", " + available + " free ("
              + free + " free minus " + reserved + " reserved in " + pool + "): as root run `echo "
              + total + " > /proc/sys/vm/nr_hugepages`");
    }
  }

  private static long readCounter(Path pool, String name) {
    final Path file = pool.resolve(name);
    try {
      return Long.parseLong(Files.readString(file).trim());
    } catch (IOException | NumberFormatException e) {
      throw new DmaException(
          "cannot read " + file + " (does this kernel have 2 MiB hugepages?): " + e, e);
    }
  }

  /**
   * Creates the backing file in the mount's {@value DmaFiles#DIRECTORY} directory: a uniquely
   * named one, or {@code keepAs} (a file of that name left by an earlier open of this process is
   * replaced: the caller holds the device's claim). The directory, not the mount's root, is
   * where a user without root may create files once {@code ./panamax bind --user} made it
   * writable (mode 1777).
   */
  private static Path create(Path mount, @Nullable String keepAs) {
    try {
      final Path dir = Files.createDirectories(mount.resolve(DmaFiles.DIRECTORY));
      if (keepAs == null) {
        return Files.createTempFile(dir, "panamax-dma-" + ProcessHandle.current().pid() + "-", "");
      }
      final Path file = dir.resolve(keepAs);
      Files.deleteIfExists(file);
      return Files.createFile(file);
    } catch (AccessDeniedException e) {
      throw new DmaException("cannot create a file in " + mount.resolve(DmaFiles.DIRECTORY)
          + ": permission denied; as root, './panamax bind PCI --user NAME' makes it writable"
          + " for users (or run as root): " + e, e);
    } catch (IOException e) {
      throw new DmaException("cannot create a file in hugetlbfs mount " + mount + ": " + e, e);
    }
  }

  private static MemorySegment map(Path file, Path mount, long bytes, Arena arena) {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      return channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
    } catch (IOException e) {
      throw new DmaException(
          "mapping " + (bytes >>> PAGE_SHIFT) + " hugepages in " + mount + " failed (did another"
              + " process take the free hugepages? see /proc/meminfo): " + e, e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // The original failure is what the caller needs to see.
    }
  }

  private static void unlink(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new DmaException("cannot delete " + file + ": remove it by hand: " + e, e);
    }
  }
}
