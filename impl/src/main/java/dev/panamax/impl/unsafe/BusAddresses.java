package dev.panamax.impl.unsafe;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The bus addresses of one block of 2 MiB hugepage memory: the only source of the addresses a
 * device is told to read or write. Drivers never see one: they name an offset in the block and
 * this class writes the matching address into a descriptor or register, after checking that the
 * offset lies in the block. Instances come only from {@link #translate}, which reads each page's
 * frame from the kernel's page map ({@code /proc/self/pagemap}, admin-guide/mm/pagemap.rst: one
 * little-endian 64-bit entry per 4 KiB page, bit 63 present, bits 0-54 the frame number).
 *
 * <p>No {@code mlock}: hugetlbfs pages are reserved in the kernel's hugepage pool and never
 * swapped out (admin-guide/mm/hugetlbpage.rst), and the kernel ignores {@code mlock} on a
 * hugetlb mapping anyway ({@code mlock_fixup} in mm/mlock.c neither sets {@code VM_LOCKED} on it
 * nor counts it), so a call would only fault the pages in, which the allocator already does.
 * This package, and so the project, makes no native call.
 */
public final class BusAddresses {
  /** log2 of the hugepage size the translation assumes, 2 MiB. */
  public static final int PAGE_SHIFT = 21;

  private static final long PAGE_SIZE = 1L << PAGE_SHIFT;
  private static final long FRAME_SIZE = 4096;
  private static final long FRAME_NUMBER = (1L << 55) - 1;
  private static final ValueLayout.OfLong U64_LE = JAVA_LONG_UNALIGNED.withOrder(LITTLE_ENDIAN);

  private final MemorySegment memory;
  private final long[] pages;

  private BusAddresses(MemorySegment memory, long[] pages) {
    this.memory = memory;
    this.pages = pages;
  }

  /**
   * Reads the physical address of each 2 MiB page of {@code memory} from the kernel's page map.
   * Sound: each frame is taken from the kernel and checked present and 2 MiB aligned, and a
   * hugetlbfs frame stays with its mapping while the mapping lives (never swapped), so every
   * address derived from it names memory this process owns.
   *
   * @param memory a mapping of whole 2 MiB hugetlbfs pages, every page already touched, owned by
   *     the caller's arena ({@code dev.panamax.impl.dma.Hugepages} checks the mount and touches
   *     the pages)
   * @param description names the memory in messages, e.g. "hugepages in /mnt/huge"
   * @return the addresses
   * @throws IOException if the page map cannot be read or hides or lacks a frame; the message
   *     says why and what to do
   */
  public static BusAddresses translate(MemorySegment memory, String description) throws IOException {
    final long[] pages = new long[Math.toIntExact(memory.byteSize() >>> PAGE_SHIFT)];
    final ByteBuffer entry = ByteBuffer.allocate(Long.BYTES).order(LITTLE_ENDIAN);
    try (FileChannel pagemap = FileChannel.open(Path.of("/proc/self/pagemap"))) {
      for (int i = 0; i < pages.length; i++) {
        final long virtual = memory.address() + ((long) i << PAGE_SHIFT);
        pagemap.read(entry.clear().putLong(0, 0), virtual / FRAME_SIZE * Long.BYTES); // short: absent
        pages[i] = frame(entry.getLong(0), virtual, description);
      }
    }
    return new BusAddresses(memory, pages);
  }

  /**
   * The addresses of memory mapped into an IOMMU at {@code iova} (VFIO_IOMMU_MAP_DMA), page by
   * page as for physical memory, so that every write below works unchanged for both. Sound: the
   * caller has mapped all of {@code memory} at {@code iova}, 2 MiB aligned, and unmaps it only
   * after every device in the IOMMU container has stopped.
   *
   * @param memory the mapped memory, whole 2 MiB pages
   * @param iova the I/O virtual address it was mapped at
   * @return the addresses
   */
  public static BusAddresses ioVirtual(MemorySegment memory, long iova) {
    final long[] pages = new long[Math.toIntExact(memory.byteSize() >>> PAGE_SHIFT)];
    Arrays.setAll(pages, i -> iova + ((long) i << PAGE_SHIFT));
    return new BusAddresses(memory, pages);
  }

  /**
   * Returns the physical address in a page-map entry: the frame number times 4 KiB. Sound: a
   * number for the page table only, returned only if the entry is present, not hidden and 2 MiB
   * aligned.
   *
   * @throws IOException saying why the entry gives no usable frame
   */
  static long frame(long entry, long virtual, String description) throws IOException {
    final long frame = (entry & FRAME_NUMBER) * FRAME_SIZE;
    if (entry >= 0 || frame == 0 || (frame & (PAGE_SIZE - 1)) != 0) {
      throw new IOException(description + ": page at virtual address 0x" + Long.toHexString(virtual)
          + " has no usable frame in /proc/self/pagemap: " + (entry >= 0 ? "not present" : frame == 0
              ? "run as root: without CAP_SYS_ADMIN the kernel hides physical frame numbers"
              : "not 2 MiB aligned: is the mount really backed by 2 MiB pages?"));
    }
    return frame;
  }

  /**
   * Writes the bus address of {@code offset} into a descriptor, little-endian, as every NIC here
   * expects. Sound: {@code offset} is checked to lie in this block, so the device is only ever
   * told about memory the application owns and keeps mapped.
   *
   * @param target descriptor memory (a segment, itself bounds-checked)
   * @param targetOffset where in {@code target} the 8-byte address goes
   * @param offset offset in this block
   */
  public void writeLe64(MemorySegment target, long targetOffset, long offset) {
    target.set(U64_LE, targetOffset, busAddress(offset));
  }

  /**
   * Programs a 64-bit base-address register given as two 32-bit halves, low half first (Intel
   * RDBAL/RDBAH, TDBAL/TDBAH; virtio 1.0 queue_desc/driver/device, which the spec lets a driver
   * write as two 32-bit accesses, 4.1.3.1). Sound for the same reason as {@link #writeLe64}.
   *
   * @param registers the device's register window
   * @param lowRegister offset of the low half
   * @param highRegister offset of the high half
   * @param offset offset in this block
   */
  public void programRegisters(Mmio registers, long lowRegister, long highRegister, long offset) {
    final long bus = busAddress(offset);
    registers.write32(lowRegister, (int) bus);
    registers.write32(highRegister, (int) (bus >>> 32));
  }

  /**
   * Programs a legacy virtio queue-address register, which takes the 4 KiB page frame number of
   * the ring (virtio 1.0, 4.1.5.1.5.1 legacy; 2.4.2); the caller checks that {@code offset} is
   * 4 KiB aligned, so the bus address is too. Sound: the address lies in this block and is
   * checked to be below 2^44, so the 32-bit frame number names the page that holds it.
   *
   * @param ports the device's I/O port window
   * @param register offset of the queue-address register
   * @param offset offset in this block of the descriptor table
   */
  public void programPageFrame32(PortIo ports, long register, long offset) {
    final long frame = busAddress(offset) / FRAME_SIZE;
    if (frame >>> 32 != 0) {
      throw new IllegalArgumentException("a legacy virtqueue needs an address below 2^44");
    }
    ports.out(register, Integer.BYTES, (int) frame);
  }

  /** Translates an offset. Sound: checked against this block's size; the table came from translate. */
  private long busAddress(long offset) {
    Objects.checkIndex(offset, memory.byteSize());
    return pages[(int) (offset >>> PAGE_SHIFT)] + (offset & (PAGE_SIZE - 1));
  }
}
