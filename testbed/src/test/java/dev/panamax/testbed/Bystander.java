package dev.panamax.testbed;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;

/**
 * A bystander for the crash scenario (testbed/scenarios/crash.sh), run inside the guest: it
 * takes every free 2 MiB hugepage, fills each 8-byte word with a pattern, waits until a trigger
 * file appears (meanwhile frames are sent to NICs whose driver process was killed), then
 * counts the words that changed. A NIC still writing to memory its dead driver gave back would
 * change some. Then it counts, in the DMA files the dead driver kept, how many received frames
 * the NICs wrote there instead.
 *
 * <pre>
 * java -cp testbed/target/test-classes dev.panamax.testbed.Bystander MOUNT TRIGGER SRC_MAC [KEPT_FILE...]
 * </pre>
 *
 * <p>Prints "bystander: took N free hugepages (W words)", then "bystander: W words checked, C
 * changed", per kept file "kept FILE: F frames from SRC_MAC", and exits with 0 if no word
 * changed, 4 otherwise. A plain Java program: hugetlbfs files map with FileChannel.map.
 */
public final class Bystander {
  private static final long PAGE = 2L << 20;
  private static final Path POOL = Path.of("/sys/kernel/mm/hugepages/hugepages-2048kB");

  private Bystander() {}

  /**
   * Runs the bystander.
   *
   * @param args mount point, trigger file, source MAC of the frames, kept DMA files
   * @throws Exception on any failure (the scenario then fails)
   */
  public static void main(String[] args) throws Exception {
    final Path mount = Path.of(args[0]);
    final Path trigger = Path.of(args[1]);
    final byte[] source = HexFormat.ofDelimiter(":").parseHex(args[2]);
    final long pages = counter("free_hugepages") - counter("resv_hugepages");
    final Path file = mount.resolve("bystander-" + ProcessHandle.current().pid());
    int changed = 0;
    try (Arena arena = Arena.ofConfined()) {
      final MemorySegment memory;
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        memory = channel.map(FileChannel.MapMode.READ_WRITE, 0, pages * PAGE, arena);
      }
      final long words = memory.byteSize() / 8;
      for (long i = 0; i < words; i++) {
        memory.setAtIndex(ValueLayout.JAVA_LONG, i, pattern(i));
      }
      System.out.println("bystander: took " + pages + " free hugepages (" + words + " words),"
          + " free now " + counter("free_hugepages"));
      while (!Files.exists(trigger)) {
        Thread.sleep(100);
      }
      for (long i = 0; i < words; i++) {
        final long value = memory.getAtIndex(ValueLayout.JAVA_LONG, i);
        if (value != pattern(i)) {
          if (changed < 10) {
            System.out.printf("bystander: word at offset 0x%x is 0x%016x, not 0x%016x%n", i * 8,
                value, pattern(i));
          }
          changed++;
        }
      }
      System.out.println("bystander: " + words + " words checked, " + changed + " changed");
    } finally {
      Files.deleteIfExists(file);
    }
    for (int k = 3; k < args.length; k++) {
      System.out.println("kept " + args[k] + ": " + frames(Path.of(args[k]), source) + " frames from "
          + args[2]);
    }
    System.exit(changed == 0 ? 0 : 4);
  }

  /** A value no NIC writes by chance: differs in every word and never 0. */
  private static long pattern(long index) {
    return 0x5A5A_0000_0000_0001L ^ (index * 0x9E37_79B9_7F4A_7C15L);
  }

  /** Counts Ethernet frames whose source address (bytes 6-11) is {@code source}, 2 KiB aligned. */
  private static long frames(Path file, byte[] source) throws IOException {
    long found = 0;
    try (Arena arena = Arena.ofConfined();
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      final MemorySegment memory = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
      // Every driver places frames at a fixed offset in 2 KiB buffers: look at every 64th byte.
      for (long offset = 0; offset + 12 <= memory.byteSize(); offset += 64) {
        if (matches(memory, offset + 6, source)) {
          found++;
        }
      }
    }
    return found;
  }

  private static boolean matches(MemorySegment memory, long offset, byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      if (memory.get(ValueLayout.JAVA_BYTE, offset + i) != bytes[i]) {
        return false;
      }
    }
    return true;
  }

  private static long counter(String name) throws IOException {
    return Long.parseLong(Files.readString(POOL.resolve(name), StandardCharsets.US_ASCII).strip());
  }
}
