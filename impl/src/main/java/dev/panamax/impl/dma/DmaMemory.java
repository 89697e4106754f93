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
  private final @Nullable BusAddresses addresses;
  private final String description;

  DmaMemory(MemorySegment segment, @Nullable BusAddresses addresses, String description) {
    this.segment = segment;
    this.addresses = addresses;
    this.description = description;
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
    return new DmaMemory(arena.allocate(size, 4096), null, "virtual memory");
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
   * Tells whether a device can reach this memory (hugepages with known bus addresses).
   *
   * @return {@code true} for DMA-capable memory
   */
  public boolean isDeviceReachable() {
    return addresses != null;
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
   * @param target descriptor memory (itself a segment, bounds-checked)
   * @param targetOffset where in {@code target} the 8-byte address goes
   * @param offset offset in this block
   * @throws IndexOutOfBoundsException if {@code offset} is outside this block
   * @throws DmaException if no device can reach this memory
   */
  public void writeBusAddressLe64(MemorySegment target, long targetOffset, long offset) {
    addresses().writeLe64(target, targetOffset, offset);
  }

  /**
   * Programs a 64-bit base-address register given as two 32-bit halves, low half first (Intel
   * RDBAL/RDBAH, TDBAL/TDBAH; virtio 1.0 queue_desc/driver/device).
   *
   * @param registers the device's register window
   * @param lowRegister offset of the low half
   * @param highRegister offset of the high half
   * @param offset offset in this block
   */
  public void programAddressRegisters(Mmio registers, long lowRegister, long highRegister,
      long offset) {
    addresses().programRegisters(registers, lowRegister, highRegister, offset);
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
      addresses().programPageFrame32(ports, register, offset);
    } catch (IllegalArgumentException e) {
      throw new DmaException(description + ": " + LEGACY_QUEUE, e);
    }
  }

  private BusAddresses addresses() {
    final BusAddresses known = addresses;
    if (known == null) {
      throw new DmaException(
          description + " cannot be given to a device: it has no physical address");
    }
    return known;
  }
}
