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

  private static PortIo open(Path file, String device) throws Exception {
    return new PortIo(FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE),
        Files.size(file), device);
  }

  @Test
  void outWritesLittleEndianAtTheOffsetAndInReadsBack() throws Exception {
    final Path file = bar(new byte[32]);
    try (PortIo io = open(file, "0000:00:03.0")) {
      io.out32(4, 0x11223344);
      io.out16(0x10, (short) 0xABCD);
      io.out8(0x13, (byte) 0x7F);
      final byte[] content = Files.readAllBytes(file);
      assertArrayEquals(new byte[] {0x44, 0x33, 0x22, 0x11}, Arrays.copyOfRange(content, 4, 8));
      assertArrayEquals(new byte[] {(byte) 0xCD, (byte) 0xAB, 0, 0x7F}, Arrays.copyOfRange(content, 0x10, 0x14));
      assertEquals(0x11223344, io.in32(4));
      assertEquals((short) 0xABCD, io.in16(0x10));
      assertEquals((byte) 0x7F, io.in8(0x13));
      assertEquals(32, Files.size(file));
    }
  }

  @Test
  void readsDeviceBytesLittleEndianWithTheirSign() throws Exception {
    final byte[] content = new byte[20];
    content[0x10] = (byte) 0xFE; // e.g. virtio legacy ISR/status area
    content[0x11] = (byte) 0xFF;
    content[0x12] = 0x01;
    content[0x13] = (byte) 0x80;
    try (PortIo io = open(bar(content), "dev")) {
      assertEquals((short) 0x8001, io.in16(0x12));
      assertEquals(0x8001FFFE, io.in32(0x10));
      assertEquals((byte) 0xFE, io.in8(0x10));
    }
  }

  @Test
  void outOfBoundsAndMisalignedPortsAreRefused() throws Exception {
    final Path file = bar(new byte[16]);
    try (PortIo io = open(file, "0000:00:03.0")) {
      final IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> io.in32(16));
      assertTrue(e.getMessage().contains("0000:00:03.0") && e.getMessage().contains("outside"), e.getMessage());
      assertThrows(IndexOutOfBoundsException.class, () -> io.out32(14, 0));
      assertThrows(IndexOutOfBoundsException.class, () -> io.in8(-1));
      assertThrows(IndexOutOfBoundsException.class, () -> io.out8(16, (byte) 1));
      final IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> io.in32(2));
      assertTrue(a.getMessage().contains("not 4-byte aligned"), a.getMessage());
      assertThrows(IllegalArgumentException.class, () -> io.out16(1, (short) 0));
    }
    assertEquals(16, Files.size(file)); // the bounds check stopped the write from extending the file
    assertArrayEquals(new byte[16], Files.readAllBytes(file));
  }

  @Test
  void aShortReadNamesTheDeviceAndThePort() throws Exception {
    final Path file = bar(new byte[16]);
    try (PortIo io = new PortIo(FileChannel.open(file, StandardOpenOption.READ), 32, "0000:00:03.0")) {
      final UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> io.in32(16));
      assertTrue(e.getMessage().startsWith("0000:00:03.0: in32 at port offset 0x10 failed"), e.getMessage());
    }
  }
}
