package dev.panamax.impl.unsafe;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Virtual to physical address translation through the kernel's page map
 * ({@code /proc/self/pagemap}, Documentation/admin-guide/mm/pagemap.rst): one little-endian
 * 64-bit entry per 4 KiB virtual page, bit 63 = present, bits 0–54 = page frame number (PFN).
 *
 * <p>An ordinary file read; no restricted method is involved. The path is a parameter so tests
 * can feed a fake page map.
 */
final class Pagemap implements Closeable {
  /** The page map of the calling process. */
  static final Path SELF = Path.of("/proc/self/pagemap");

  /** Size of the pages the page map describes (x86-64 base page). */
  static final long PAGE_SIZE = 4096;

  private static final long PRESENT = 1L << 63;
  private static final long PFN_MASK = (1L << 55) - 1;

  private final FileChannel channel;
  private final Path path;

  private Pagemap(FileChannel channel, Path path) {
    this.channel = channel;
    this.path = path;
  }

  /**
   * Opens a page map file for reading. Sound: read-only access to a file.
   *
   * @param path {@link #SELF} or a fake file in tests
   * @return the open page map; close it after use
   * @throws DmaException if the file cannot be opened
   */
  static Pagemap open(Path path) {
    try {
      return new Pagemap(FileChannel.open(path, StandardOpenOption.READ), path);
    } catch (IOException e) {
      throw new DmaException("cannot open " + path + " to translate addresses: " + e, e);
    }
  }

  /**
   * Translates the address of byte {@code offset} of a native segment. Sound: the offset is
   * bounds-checked against the segment, and the result is only data for a DMA handle.
   *
   * @param segment native memory, touched and locked by the caller
   * @param offset offset in the segment
   * @return the physical address
   * @throws DmaException if the page is not present or its frame number is hidden
   */
  long physicalAddress(MemorySegment segment, long offset) {
    Objects.checkIndex(offset, segment.byteSize());
    return physicalAddress(segment.address() + offset);
  }

  /**
   * Translates one virtual address by reading its 8-byte entry at
   * {@code (virtualAddress / PAGE_SIZE) * 8}. Sound: a positional read of a file; the number
   * returned is never dereferenced by Java code.
   *
   * @param virtualAddress an address in this process
   * @return the physical address, {@code PFN * PAGE_SIZE + virtualAddress % PAGE_SIZE}
   * @throws DmaException if the page is not present or its frame number is hidden
   */
  long physicalAddress(long virtualAddress) {
    final long entry = readEntry(virtualAddress);
    if ((entry & PRESENT) == 0) {
      throw new DmaException(
          "page at virtual address 0x" + Long.toHexString(virtualAddress) + " is not present in "
              + path + ": touch and lock the memory before translating it");
    }
    final long pfn = entry & PFN_MASK;
    if (pfn == 0) {
      throw new DmaException(
          path + " reports frame number 0 for virtual address 0x"
              + Long.toHexString(virtualAddress)
              + ": run as root: without CAP_SYS_ADMIN the kernel hides physical frame numbers");
    }
    return pfn * PAGE_SIZE + (virtualAddress & (PAGE_SIZE - 1));
  }

  private long readEntry(long virtualAddress) {
    final ByteBuffer entry = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    final long position = Long.divideUnsigned(virtualAddress, PAGE_SIZE) * Long.BYTES;
    try {
      while (entry.hasRemaining()) {
        if (channel.read(entry, position + entry.position()) < 0) {
          throw new DmaException(
              path + " has no entry for virtual address 0x" + Long.toHexString(virtualAddress));
        }
      }
    } catch (IOException e) {
      throw new DmaException(
          "cannot read " + path + " at virtual address 0x" + Long.toHexString(virtualAddress)
              + ": " + e, e);
    }
    return entry.getLong(0);
  }

  /** Closes the page map file. */
  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new DmaException("cannot close " + path + ": " + e, e);
    }
  }
}
