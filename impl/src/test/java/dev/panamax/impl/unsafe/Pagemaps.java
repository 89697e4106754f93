package dev.panamax.impl.unsafe;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** For tests: an independent read of /proc/self/pagemap, to check bus addresses against. */
public final class Pagemaps {
  private Pagemaps() {}

  /**
   * Returns the physical address of one byte of a touched, locked segment, from the 4 KiB page
   * entry that covers it (not the 2 MiB page start {@link BusAddresses} reads).
   *
   * @param segment native memory
   * @param offset offset in the segment
   * @return the physical address
   * @throws IOException if the page map cannot be read
   */
  public static long physical(MemorySegment segment, long offset) throws IOException {
    final long virtual = segment.address() + offset;
    try (FileChannel pagemap = FileChannel.open(Path.of("/proc/self/pagemap"))) {
      final ByteBuffer entry = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      pagemap.read(entry, virtual / 4096 * 8);
      return (entry.getLong(0) & ((1L << 55) - 1)) * 4096 + virtual % 4096;
    }
  }
}
