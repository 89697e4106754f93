package dev.panamax.impl.unsafe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortIoTest {
  @TempDir Path dir;

  private Path bar(byte[] content) throws Exception {
    final Path file = dir.resolve("resource0");
    Files.write(file, content);
    return file;
  }

  private static FileChannel open(Path file) throws Exception {
    return FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  @Test
  void outWritesLittleEndianAtTheOffsetAndInReadsBack() throws Exception {
    final Path file = bar(new byte[32]);
    try (FileChannel channel = open(file)) {
      final PortIo io = new PortIo(channel, 32, "0000:00:03.0");
      io.out(4, 4, 0x11223344);
      io.out(0x10, 2, 0xABCD);
      io.out(0x13, 1, 0x7F);
      final byte[] content = Files.readAllBytes(file);
      assertArrayEquals(new byte[] {0x44, 0x33, 0x22, 0x11}, Arrays.copyOfRange(content, 4, 8));
      assertArrayEquals(new byte[] {(byte) 0xCD, (byte) 0xAB, 0, 0x7F}, Arrays.copyOfRange(content, 0x10, 0x14));
      assertEquals(0x11223344, io.in(4, 4));
      assertEquals(0xABCD, io.in(0x10, 2));
      assertEquals(0x7F, io.in(0x13, 1));
      assertEquals(32, Files.size(file));
    }
  }

  @Test
  void onlyTheLowBytesOfTheValueAreWritten() throws Exception {
    final Path file = bar(new byte[8]);
    try (FileChannel channel = open(file)) {
      final PortIo io = new PortIo(channel, 8, "dev");
      io.out(2, 2, 0xFFFF_1234);
      io.out(5, 1, -1);
      assertArrayEquals(new byte[] {0, 0, 0x34, 0x12, 0, (byte) 0xFF, 0, 0}, Files.readAllBytes(file));
    }
  }

  @Test
  void readsAreZeroExtended() throws Exception {
    final byte[] content = new byte[20];
    content[0x10] = (byte) 0xFE; // e.g. virtio legacy ISR/status area
    content[0x11] = (byte) 0xFF;
    content[0x12] = 0x01;
    content[0x13] = (byte) 0x80;
    try (FileChannel channel = open(bar(content))) {
      final PortIo io = new PortIo(channel, 20, "dev");
      assertEquals(0x8001, io.in(0x12, 2));
      assertEquals(0x8001FFFE, io.in(0x10, 4));
      assertEquals(0xFE, io.in(0x10, 1));
    }
  }

  @Test
  void outOfBoundsMisalignedAndOddWidthAccessesAreRefused() throws Exception {
    final Path file = bar(new byte[16]);
    try (FileChannel channel = open(file)) {
      final PortIo io = new PortIo(channel, 16, "0000:00:03.0");
      final IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> io.in(16, 4));
      assertTrue(e.getMessage().startsWith("0000:00:03.0: 4-byte port access at offset 0x10 is not a 1-, 2- or "
          + "4-byte access aligned inside the 16-byte I/O BAR"), e.getMessage());
      assertThrows(IndexOutOfBoundsException.class, () -> io.out(14, 4, 0)); // misaligned
      assertThrows(IndexOutOfBoundsException.class, () -> io.in(-1, 1));
      assertThrows(IndexOutOfBoundsException.class, () -> io.out(16, 1, 1));
      assertThrows(IndexOutOfBoundsException.class, () -> io.in(2, 4)); // misaligned
      assertThrows(IndexOutOfBoundsException.class, () -> io.out(1, 2, 0)); // misaligned
      assertThrows(IndexOutOfBoundsException.class, () -> io.out(Long.MAX_VALUE - 3, 4, 0));
      assertThrows(IndexOutOfBoundsException.class, () -> io.out(0, 3, 0)); // no 3-byte port access
      assertThrows(IndexOutOfBoundsException.class, () -> io.out(0, 8, 0));
      assertThrows(IndexOutOfBoundsException.class, () -> io.in(0, 0));
    }
    assertEquals(16, Files.size(file)); // the checks stopped every write: the file neither grew nor changed
    assertArrayEquals(new byte[16], Files.readAllBytes(file));
  }

  @Test
  void aShortReadNamesTheDeviceAndThePort() throws Exception {
    final Path file = bar(new byte[16]);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      final PortIo io = new PortIo(channel, 32, "0000:00:03.0");
      final UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> io.in(16, 4));
      assertTrue(e.getMessage().startsWith("0000:00:03.0: in32 at port offset 0x10 failed"), e.getMessage());
    }
  }
}
