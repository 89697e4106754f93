package dev.panamax.impl.dma;

import dev.panamax.impl.unsafe.BusAddresses;
import dev.panamax.impl.unsafe.Mmio;
import dev.panamax.impl.unsafe.PortIo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * One block of memory for packet buffers and descriptor rings, with the bus addresses of its
 * pages when a device may reach it.
 *
 * <p>Drivers never see a raw address: they hold a {@code DmaMemory} and an offset into it, and
 * ask it to write the matching bus address into a descriptor or register. {@link BusAddresses}
 * does the writing and checks the offset against the block, so a driver cannot point a device
 * outside memory the application owns. Instances are created only by the allocators here.
 */
public final class DmaMemory {
  private static final String LEGACY_QUEUE =
      "a legacy virtqueue needs a 4 KiB aligned address below 2^44";

  private final MemorySegment segment;
  private final @Nullable BusAddresses physical;
  private final String noPhysical;
  private final String description;
  private final boolean hugepages;
  /** Set while the memory is mapped into the process's IOMMU container. */
  private @Nullable BusAddresses iova;
  /** The space of the device whose rings this is; {@link DmaSpace#PHYSICAL} for a pool. */
  private DmaSpace space = DmaSpace.PHYSICAL;

  DmaMemory(MemorySegment segment, @Nullable BusAddresses physical, String noPhysical,
      String description, boolean hugepages) {
    this.segment = segment;
    this.physical = physical;
    this.noPhysical = noPhysical;
    this.description = description;
    this.hugepages = hugepages;
  }

  /**
   * Allocates native memory that no device can reach, for in-memory devices: an ordinary arena
   * allocation, zeroed, freed with the arena.
   *
   * @param arena owner of the memory
   * @param size bytes
   * @return the memory, aligned to 4 KiB
   */
  public static DmaMemory allocateVirtual(Arena arena, long size) {
    return new DmaMemory(arena.allocate(size, 4096), null,
        "virtual memory cannot be given to a device: it has no physical address", "virtual memory", false);
  }

  /**
   * Allocates hugepage memory and the bus address of each page.
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
   * Allocates hugepage memory for a device's own use, backed by a file that is kept until the
   * caller deletes it ({@link DmaFiles}): after the device is reset, never before.
   *
   * @param arena owner of the mapping
   * @param size bytes, rounded up to whole 2 MiB pages
   * @param mountPoint a hugetlbfs mount, or {@code null} to find one in /proc/mounts
   * @param fileName the file's name, from {@link DmaFiles#name}
   * @return the memory
   * @throws DmaException with the reason; the file is not left behind
   */
  public static DmaMemory allocateDeviceHugepages(Arena arena, long size, @Nullable Path mountPoint,
      String fileName) {
    return Hugepages.allocate(arena, size, mountPoint, fileName);
  }

  /**
   * Returns the memory as a bounds-checked segment, for reading and writing descriptors and
   * packet bytes.
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
   * Tells whether a device in the given space can reach this memory now: it has physical
   * addresses, or it is mapped into the IOMMU.
   *
   * @param iommu {@code true} for a device behind the IOMMU ({@link DmaSpace#iommu()})
   * @return {@code true} if its addresses can be written for such a device
   */
  public boolean isDeviceReachable(boolean iommu) {
    return (iommu ? iova : physical) != null;
  }

  /**
   * Tells whether this is hugepage memory, which a device can be given (virtual memory never).
   *
   * @return {@code true} for hugepages
   */
  public boolean isHugepages() {
    return hugepages;
  }

  /**
   * Returns the physical addresses.
   *
   * @return the addresses
   * @throws DmaException if they are not known, with the reason (virtual memory, not root)
   */
  BusAddresses physical() {
    final BusAddresses known = physical;
    if (known == null) {
      throw new DmaException(noPhysical);
    }
    return known;
  }

  /**
   * Records the I/O virtual addresses of this memory once it is mapped into the IOMMU, or
   * forgets them ({@code null}) once it is unmapped. Only the IOMMU container calls this.
   *
   * @param addresses the addresses, or {@code null}
   */
  public void setIova(@Nullable BusAddresses addresses) {
    iova = addresses;
  }

  /**
   * Returns the space of the device this memory (its rings) belongs to.
   *
   * @return the space; {@link DmaSpace#PHYSICAL} unless a device took it
   */
  public DmaSpace space() {
    return space;
  }

  /**
   * Gives this memory to a device as its ring memory, in the device's space, and makes it
   * reachable there.
   *
   * @param deviceSpace the device's space
   * @throws DmaException if it cannot be reached
   */
  public void assignTo(DmaSpace deviceSpace) {
    deviceSpace.makeReachable(this);
    space = deviceSpace;
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
   * Writes the bus address of {@code offset} into a descriptor, little-endian, as every NIC here
   * expects.
   *
   * @param iommu {@code true} for the I/O virtual address, {@code false} for the physical one
   * @param target descriptor memory (itself a segment, bounds-checked)
   * @param targetOffset where in {@code target} the 8-byte address goes
   * @param offset offset in this block
   * @throws IndexOutOfBoundsException if {@code offset} is outside this block
   * @throws DmaException if no device can reach this memory
   */
  public void writeBusAddressLe64(boolean iommu, MemorySegment target, long targetOffset, long offset) {
    addresses(iommu).writeLe64(target, targetOffset, offset);
  }

  /**
   * Programs a 64-bit base-address register given as two 32-bit halves, low half first (Intel
   * RDBAL/RDBAH, TDBAL/TDBAH; virtio 1.0 queue_desc/driver/device), in this memory's {@link
   * #space()}.
   *
   * @param registers the device's register window
   * @param lowRegister offset of the low half
   * @param highRegister offset of the high half
   * @param offset offset in this block
   */
  public void programAddressRegisters(Mmio registers, long lowRegister, long highRegister,
      long offset) {
    addresses(space.iommu()).programRegisters(registers, lowRegister, highRegister, offset);
  }

  /**
   * Programs a legacy virtio queue-address register with the 4 KiB page frame number of the ring
   * (virtio 1.0, 4.1.5.1.5.1 legacy).
   *
   * @param ports the device's I/O port window
   * @param register offset of the queue-address register
   * @param offset offset in this block of the descriptor table
   * @throws DmaException if the address is not 4 KiB aligned or not below 2^44
   */
  public void programPageFrame32(PortIo ports, long register, long offset) {
    // The pages are 2 MiB aligned, so the bus address is 4 KiB aligned exactly when the offset is.
    if ((offset & 0xFFF) != 0) {
      throw new DmaException(description + ": " + LEGACY_QUEUE);
    }
    try {
      physical().programPageFrame32(ports, register, offset);
    } catch (IllegalArgumentException e) {
      throw new DmaException(description + ": " + LEGACY_QUEUE, e);
    }
  }

  private BusAddresses addresses(boolean iommu) {
    final BusAddresses known = iommu ? iova : physical;
    if (known == null) {
      throw new DmaException(iommu ? description + " is not mapped into the IOMMU" : noPhysical);
    }
    return known;
  }
}
