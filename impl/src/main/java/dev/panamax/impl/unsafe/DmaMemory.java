package dev.panamax.impl.unsafe;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * One block of memory for packet buffers and descriptor rings, with the physical address of
 * each of its pages when a device may reach it.
 *
 * <p>Drivers never see a raw address: they hold a {@code DmaMemory} and an offset into it, and
 * ask this class to write the matching bus address into a descriptor or register. Because the
 * offset is bounds-checked against this block, a driver cannot point a device outside memory the
 * application owns. Instances are created only by the allocators in this package.
 */
public final class DmaMemory {
  private static final ValueLayout.OfLong U64_LE =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

  private final MemorySegment segment;
  private final long @Nullable [] pagePhysical;
  private final int pageShift;
  private final String description;

  DmaMemory(MemorySegment segment, long @Nullable [] pagePhysical, int pageShift, String description) {
    this.segment = segment;
    this.pagePhysical = pagePhysical;
    this.pageShift = pageShift;
    this.description = description;
  }

  /**
   * Allocates native memory that no device can reach, for in-memory devices. Sound: an
   * ordinary arena allocation, zeroed, freed with the arena; no address leaves this class.
   *
   * @param arena owner of the memory
   * @param size bytes
   * @return the memory, aligned to 4 KiB
   */
  public static DmaMemory allocateVirtual(Arena arena, long size) {
    return new DmaMemory(arena.allocate(size, 4096), null, 0, "virtual memory");
  }

  /**
   * Allocates locked hugepage memory and translates each page to its physical address.
   *
   * @param arena owner of the mapping
   * @param size bytes, rounded up to whole 2 MiB pages
   * @param mountPoint a hugetlbfs mount, or {@code null} to find one in /proc/mounts
   * @return the memory
   * @throws DmaException with the reason: no hugetlbfs, no free hugepages, not root, no frame
   */
  public static DmaMemory allocateHugepages(Arena arena, long size, @Nullable Path mountPoint) {
    return Hugepages.allocate(arena, size, mountPoint);
  }

  /**
   * Returns the memory as a bounds-checked segment, for reading and writing descriptors and
   * packet bytes. Sound: a segment carries its own bounds and lifetime.
   *
   * @return the segment
   */
  public MemorySegment segment() {
    return segment;
  }

  /**
   * Returns the size in bytes.
   *
   * @return the size
   */
  public long size() {
    return segment.byteSize();
  }

  /**
   * Tells whether a device can reach this memory (hugepages with known physical addresses).
   *
   * @return {@code true} for DMA-capable memory
   */
  public boolean isDeviceReachable() {
    return pagePhysical != null;
  }

  /**
   * Describes the memory for messages.
   *
   * @return e.g. "virtual memory" or "hugepages in /mnt/huge"
   */
  public String description() {
    return description;
  }

  /**
   * Writes the bus address of {@code offset} into a descriptor, little-endian, as every NIC
   * here expects. Sound: {@code offset} is checked to lie in this block, so the device is only
   * ever told about memory the application owns and keeps mapped.
   *
   * @param target descriptor memory (itself a segment, bounds-checked)
   * @param targetOffset where in {@code target} the 8-byte address goes
   * @param offset offset in this block
   */
  public void writeBusAddressLe64(MemorySegment target, long targetOffset, long offset) {
    target.set(U64_LE, targetOffset, busAddress(offset));
  }

  /**
   * Programs a 64-bit base-address register given as two 32-bit halves, low half first
   * (Intel RDBAL/RDBAH, TDBAL/TDBAH; virtio 1.0 queue_desc/driver/device, which the spec lets a
   * driver write as two 32-bit accesses, 4.1.3.1). Sound for the same reason as {@link
   * #writeBusAddressLe64}: the address always lies in this block.
   *
   * @param registers the device's register window
   * @param lowRegister offset of the low half
   * @param highRegister offset of the high half
   * @param offset offset in this block
   */
  public void programAddressRegisters(Mmio registers, long lowRegister, long highRegister, long offset) {
    final long bus = busAddress(offset);
    registers.write32(lowRegister, (int) bus);
    registers.write32(highRegister, (int) (bus >>> 32));
  }

  /**
   * Programs a legacy virtio queue-address register, which takes the 4 KiB page frame number of
   * the ring (virtio 1.0, 4.1.5.1.5.1 legacy; 2.4.2). Sound: the address lies in this block and
   * is checked to be 4 KiB aligned and below 2^44, so the 32-bit frame number is exact.
   *
   * @param ports the device's I/O port window
   * @param register offset of the queue-address register
   * @param offset offset in this block of the descriptor table
   */
  public void programPageFrame32(PortIo ports, long register, long offset) {
    final long bus = busAddress(offset);
    if ((bus & 0xFFF) != 0 || (bus >>> 44) != 0) {
      throw new DmaException(description + ": a legacy virtqueue needs a 4 KiB aligned address below 2^44");
    }
    ports.out32(register, (int) (bus >>> 12));
  }

  /**
   * Translates an offset to a bus address. Sound: the offset is checked against this block's
   * size, and the page table was filled by the allocator from the kernel's pagemap.
   */
  private long busAddress(long offset) {
    final long[] pages = pagePhysical;
    if (pages == null) {
      throw new DmaException(description + " cannot be given to a device: it has no physical address");
    }
    java.util.Objects.checkIndex(offset, segment.byteSize());
    return pages[(int) (offset >>> pageShift)] + (offset & ((1L << pageShift) - 1));
  }
}
