package dev.panamax.impl.vfio;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.panamax.impl.dma.DmaException;
import dev.panamax.impl.dma.DmaMemory;
import dev.panamax.impl.dma.DmaSpace;
import dev.panamax.impl.unsafe.BusAddresses;
import dev.panamax.impl.unsafe.Posix;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The process's one VFIO container ({@code /dev/vfio/vfio}) with the type-1 IOMMU: every VFIO
 * device of the process is in it, so memory mapped once is reachable by all of them (a packet
 * received on one NIC is sent on another without a copy). I/O virtual addresses are given out
 * from 4 GiB up, 2 MiB aligned, far from the x86 interrupt window at 0xfee00000.
 *
 * <p>Lifetime: created when the first group is attached; when the last one is detached (its
 * devices were stopped and closed first), every mapping is removed and the container closed.
 * Mapped memory stays referenced here until then, so it cannot be unmapped from the process
 * while the IOMMU still maps it. A process that dies loses its file descriptors, and the kernel
 * then drops the mappings and stops the devices itself (vfio-pci disables bus mastering and
 * resets the function on release).
 *
 * <p>Thread-safe: every method holds the class lock; none runs per packet.
 */
public final class VfioContainer implements DmaSpace {
  /** ioctl numbers: _IO(';', 100 + n), include/uapi/linux/vfio.h. */
  static final long GET_API_VERSION = 0x3B64;
  static final long CHECK_EXTENSION = 0x3B65;
  static final long SET_IOMMU = 0x3B66;
  static final long GROUP_GET_STATUS = 0x3B67;
  static final long GROUP_SET_CONTAINER = 0x3B68;
  static final long GROUP_UNSET_CONTAINER = 0x3B69;
  static final long GROUP_GET_DEVICE_FD = 0x3B6A;
  static final long IOMMU_MAP_DMA = 0x3B71;
  static final long IOMMU_UNMAP_DMA = 0x3B72;
  private static final int TYPE1_IOMMU = 1;
  private static final int TYPE1V2_IOMMU = 3;
  private static final int GROUP_FLAGS_VIABLE = 1;
  private static final int DMA_MAP_READ_WRITE = 3;
  private static final long IOVA_BASE = 1L << 32;
  private static final long PAGE = 2L << 20;

  private static final Object LOCK = new Object();
  private static @Nullable VfioContainer shared;

  private final int fd;
  /** group number -> {group fd, devices using it}. */
  private final Map<Integer, int[]> groups = new HashMap<>();
  /** Memory mapped into the IOMMU, with its I/O virtual address. */
  private final Map<DmaMemory, Long> mapped = new HashMap<>();
  private long nextIova = IOVA_BASE;
  private boolean iommuSet;

  private VfioContainer(int fd) {
    this.fd = fd;
  }

  /**
   * Attaches a device's IOMMU group to the process's container, creating the container on first
   * use; a group already attached is shared.
   *
   * @param group the IOMMU group number
   * @param devices the group's devices directory, for messages
   * @return the container
   * @throws IOException with what failed and what to do
   */
  static VfioContainer attach(int group, Path devices) throws IOException {
    synchronized (LOCK) {
      final VfioContainer container = shared != null ? shared : open();
      shared = container;
      try {
        container.attachGroup(group, devices);
      } catch (IOException | RuntimeException e) {
        if (container.groups.isEmpty()) {
          container.closeAll();
        }
        throw e;
      }
      return container;
    }
  }

  /**
   * Returns the file descriptor of an attached group.
   *
   * @param group the group number
   * @return its descriptor
   */
  int groupFd(int group) {
    synchronized (LOCK) {
      return groups.get(group)[0];
    }
  }

  /**
   * Detaches one user of a group; the last user closes the group, and the last group the
   * container. Call only after the device stopped: mappings go with the container.
   *
   * @param group the group number
   */
  void detach(int group) {
    synchronized (LOCK) {
      final int[] entry = groups.get(group);
      if (entry == null || --entry[1] > 0) {
        return;
      }
      groups.remove(group);
      try (Arena arena = Arena.ofConfined()) {
        final MemorySegment container = arena.allocate(JAVA_INT);
        container.set(JAVA_INT, 0, fd);
        Sys.ioctl(entry[0], GROUP_UNSET_CONTAINER, container, "VFIO_GROUP_UNSET_CONTAINER");
      } catch (IOException e) {
        // Closing the group below detaches it as well.
      }
      Sys.closeQuietly(entry[0]);
      if (groups.isEmpty()) {
        closeAll();
      }
    }
  }

  @Override
  public boolean iommu() {
    return true;
  }

  /**
   * Maps hugepage memory into the IOMMU, read-write, at the next free I/O virtual address, and
   * gives it its addresses; memory mapped already is left as it is.
   *
   * @param memory hugepage memory
   * @throws DmaException if it is not hugepage memory or the kernel refuses, with the reason
   */
  @Override
  public void makeReachable(DmaMemory memory) {
    synchronized (LOCK) {
      if (mapped.containsKey(memory)) {
        return;
      }
      if (!memory.isHugepages()) {
        throw new DmaException(memory.description() + " is not in DMA memory; create its pool"
            + " with DmaSource.hugepages()");
      }
      final MemorySegment segment = memory.segment();
      final long iova = nextIova;
      try (Arena arena = Arena.ofConfined()) {
        // struct vfio_iommu_type1_dma_map: argsz, flags, vaddr, iova, size.
        final MemorySegment map = arena.allocate(32, 8);
        map.set(JAVA_INT, 0, 32);
        map.set(JAVA_INT, 4, DMA_MAP_READ_WRITE);
        Posix.putProcessAddress(map, 8, segment);
        map.set(JAVA_LONG, 16, iova);
        map.set(JAVA_LONG, 24, segment.byteSize());
        Sys.ioctl(fd, IOMMU_MAP_DMA, map, "VFIO_IOMMU_MAP_DMA");
      } catch (IOException e) {
        throw new DmaException("mapping " + (segment.byteSize() >> 20) + " MiB of "
            + memory.description() + " into the IOMMU failed: " + e.getMessage()
            + (e instanceof Sys.SysException s && s.errno() == 12 ? lockLimitHint() : ""), e);
      }
      nextIova = iova + ((segment.byteSize() + PAGE - 1) & -PAGE);
      mapped.put(memory, iova);
      memory.setIova(BusAddresses.ioVirtual(segment, iova));
    }
  }

  @Override
  public String toString() {
    return "I/O virtual addresses (VFIO type-1 IOMMU)";
  }

  /**
   * Counts the memory blocks mapped into the IOMMU, for tests and diagnostics.
   *
   * @return blocks mapped now, 0 if there is no container
   */
  public static int mappedBlocks() {
    synchronized (LOCK) {
      return shared == null ? 0 : shared.mapped.size();
    }
  }

  private static VfioContainer open() throws IOException {
    final int fd;
    try {
      fd = Sys.open("/dev/vfio/vfio");
    } catch (IOException e) {
      throw new IOException(e.getMessage() + "; load the module with 'modprobe vfio-pci'", e);
    }
    try {
      final int version = Sys.ioctl(fd, GET_API_VERSION, 0, "VFIO_GET_API_VERSION");
      if (version != 0) {
        throw new IOException("VFIO API version " + version + ", expected 0");
      }
      return new VfioContainer(fd);
    } catch (IOException | RuntimeException e) {
      Sys.closeQuietly(fd);
      throw e;
    }
  }

  private void attachGroup(int group, Path devices) throws IOException {
    final int[] known = groups.get(group);
    if (known != null) {
      known[1]++;
      return;
    }
    final String path = "/dev/vfio/" + group;
    final int groupFd;
    try {
      groupFd = Sys.open(path);
    } catch (Sys.SysException e) {
      throw new IOException(switch (e.errno()) {
        case 16 -> "IOMMU group " + group + " is open in another process (another Panamax app,"
            + " DPDK or a VM): " + e.getMessage();
        case 13, 1 -> e.getMessage() + "; as root, grant it once: ./panamax bind ADDRESS --user NAME";
        default -> e.getMessage();
      }, e);
    }
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment status = arena.allocate(8, 4);
      status.set(JAVA_INT, 0, 8);
      Sys.ioctl(groupFd, GROUP_GET_STATUS, status, "VFIO_GROUP_GET_STATUS");
      if ((status.get(JAVA_INT, 4) & GROUP_FLAGS_VIABLE) == 0) {
        throw new IOException("IOMMU group " + group + " is not viable: every device in it must be"
            + " bound to vfio-pci or to no driver (see " + devices + ")");
      }
      final MemorySegment container = arena.allocate(JAVA_INT);
      container.set(JAVA_INT, 0, fd);
      Sys.ioctl(groupFd, GROUP_SET_CONTAINER, container, "VFIO_GROUP_SET_CONTAINER");
      if (!iommuSet) {
        // The IOMMU model is chosen once, after the first group joined (vfio.rst).
        final int type = Sys.ioctl(fd, CHECK_EXTENSION, TYPE1V2_IOMMU, "VFIO_CHECK_EXTENSION") > 0
            ? TYPE1V2_IOMMU : TYPE1_IOMMU;
        Sys.ioctl(fd, SET_IOMMU, type, "VFIO_SET_IOMMU");
        iommuSet = true;
      }
    } catch (IOException | RuntimeException e) {
      Sys.closeQuietly(groupFd);
      throw e;
    }
    groups.put(group, new int[] {groupFd, 1});
  }

  /** Unmaps everything and closes the container; the devices are closed already. */
  private void closeAll() {
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment unmap = arena.allocate(24, 8);
      for (Map.Entry<DmaMemory, Long> e : new ArrayList<>(mapped.entrySet())) {
        // struct vfio_iommu_type1_dma_unmap: argsz, flags, iova, size.
        unmap.set(JAVA_INT, 0, 24);
        unmap.set(JAVA_INT, 4, 0);
        unmap.set(JAVA_LONG, 8, e.getValue());
        unmap.set(JAVA_LONG, 16, e.getKey().segment().byteSize());
        try {
          Sys.ioctl(fd, IOMMU_UNMAP_DMA, unmap, "VFIO_IOMMU_UNMAP_DMA");
        } catch (IOException ignored) {
          // Closing the container below drops every mapping anyway.
        }
        e.getKey().setIova(null);
      }
    }
    mapped.clear();
    Sys.closeQuietly(fd);
    if (shared == this) {
      shared = null;
    }
  }

  /** Why MAP_DMA said ENOMEM for a user without CAP_IPC_LOCK: the memlock limit. */
  private static String lockLimitHint() {
    String limit = "unknown";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max locked memory")) {
          limit = line.substring("Max locked memory".length()).trim().replaceAll("\\s+", " ");
        }
      }
    } catch (IOException | RuntimeException e) {
      // Keep "unknown".
    }
    return "; the IOMMU pins this memory, which counts against the locked-memory limit (now "
        + limit + "): raise it for this user (ulimit -l, or /etc/security/limits.d; see"
        + " docs/getting-started.md) or run as root";
  }

  /** Lists what is mapped, for tests: I/O virtual address per block. */
  static List<Long> iovas() {
    synchronized (LOCK) {
      return shared == null ? List.of() : List.copyOf(shared.mapped.values());
    }
  }
}
