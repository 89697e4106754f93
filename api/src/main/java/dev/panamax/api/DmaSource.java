package dev.panamax.api;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@link Mempool} takes its memory from.
 *
 * <ul>
 *   <li>{@link #hugepages()}: 2 MiB hugetlbfs pages, locked and translated to physical
 *       addresses, as real NICs need. Requires root and reserved hugepages.
 *   <li>{@link #virtualMemory()}: ordinary native memory outside the Java heap, for the in-memory
 *       devices and for application development without hardware. A real NIC refuses it.
 * </ul>
 */
public sealed interface DmaSource {

  /**
   * Hugepage memory from the first hugetlbfs mount listed in {@code /proc/mounts}.
   *
   * @return the source
   */
  static DmaSource hugepages() {
    return new Hugepages(null);
  }

  /**
   * Hugepage memory from a given hugetlbfs mount point.
   *
   * @param mountPoint a directory where hugetlbfs is mounted
   * @return the source
   */
  static DmaSource hugepages(Path mountPoint) {
    return new Hugepages(mountPoint);
  }

  /**
   * Native memory that no device can reach, for in-memory devices.
   *
   * @return the source
   */
  static DmaSource virtualMemory() {
    return VirtualMemory.INSTANCE;
  }

  /**
   * Hugetlbfs-backed DMA memory.
   *
   * @param mountPoint the hugetlbfs mount to use, or {@code null} to find one
   */
  record Hugepages(@Nullable Path mountPoint) implements DmaSource {}

  /** Native, non-DMA memory for in-memory devices. */
  enum VirtualMemory implements DmaSource {
    /** The only instance. */
    INSTANCE
  }
}
