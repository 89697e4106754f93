package dev.panamax.impl.dma;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The hugepage files that back a PCI device's own DMA memory (its descriptor rings and receive
 * buffers): {@code <hugetlbfs mount>/panamax/<device>-<pid>-<purpose>}, e.g. {@code
 * /dev/hugepages/panamax/0000:01:00.0-1234-rx}.
 *
 * <p>They are kept, not unlinked, while the device may use the memory: a process that dies
 * with the device open leaves its NIC running, and the NIC keeps writing received frames and
 * descriptor write-backs to those pages. As long as the files exist, the pages stay theirs and
 * no other program can be given them. The device's next claim resets the device and only then
 * deletes the files of the dead process; a clean close deletes its own after the reset.
 */
public final class DmaFiles {
  /** The directory in a hugetlbfs mount that holds the files. */
  public static final String DIRECTORY = "panamax";

  private DmaFiles() {}

  /**
   * One file found in a mount.
   *
   * @param path the file
   * @param pid the process that created it
   * @param bytes its size
   */
  public record Found(Path path, long pid, long bytes) {}

  /**
   * Names a file.
   *
   * @param device the canonical PCI address
   * @param pid the process that creates it
   * @param purpose e.g. "rings" or "rx"
   * @return {@code <device>-<pid>-<purpose>}
   */
  public static String name(String device, long pid, String purpose) {
    return device + "-" + pid + "-" + purpose;
  }

  /**
   * Finds the files of a device in every hugetlbfs mount of a mount table.
   *
   * @param device the canonical PCI address
   * @param procMounts a file in /proc/mounts format
   * @return the files, in mount and name order
   * @throws DmaException if a directory cannot be listed
   */
  public static List<Found> find(String device, Path procMounts) {
    final List<Found> found = new ArrayList<>();
    for (Path mount : Hugepages.mounts(procMounts)) {
      final Path dir = mount.resolve(DIRECTORY);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.sorted().toList()) {
          final String name = String.valueOf(file.getFileName());
          final String[] parts = name.split("-", 3);
          if (parts.length == 3 && parts[0].equals(device) && parts[1].matches("[0-9]{1,18}")) {
            found.add(new Found(file, Long.parseLong(parts[1]), Files.size(file)));
          }
        }
      } catch (IOException e) {
        throw new DmaException("cannot list " + dir + ": " + e, e);
      }
    }
    return found;
  }

  /**
   * Finds the files of a device in the mounts of /proc/mounts.
   *
   * @param device the canonical PCI address
   * @return the files
   */
  public static List<Found> find(String device) {
    return find(device, Hugepages.PROC_MOUNTS);
  }

  /**
   * Finds the hugetlbfs mount with 2 MiB pages that {@code DmaSource.hugepages()} allocates from
   * (the first one in the mount table).
   *
   * @param procMounts a file in /proc/mounts format
   * @return the mount point
   * @throws DmaException if none is mounted, with the command that mounts one
   */
  public static Path defaultMount(Path procMounts) {
    return Hugepages.findMount(procMounts);
  }

  /**
   * Deletes files. Call it only once no device can use their memory any more.
   *
   * @param files the files
   * @throws DmaException naming the first file that could not be deleted
   */
  public static void delete(List<Found> files) {
    for (Found file : files) {
      try {
        Files.deleteIfExists(file.path());
      } catch (IOException e) {
        throw new DmaException("cannot delete " + file.path() + ": " + e, e);
      }
    }
  }
}
