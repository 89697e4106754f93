package dev.panamax.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.OwnedPacket;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapWriterTest {
  private static byte[] randomFrame(Random random, int length) {
    final byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private static void write(PcapWriter writer, Mempool pool, byte[] frame, long micros) {
    final OwnedPacket p = pool.alloc(frame.length);
    p.copyFrom(0, frame, 0, frame.length);
    writer.write(p, micros);
    p.free();
  }

  @Test
  void writesTheGlobalHeaderAndOneRecordPerPacketWithExactBytes(@TempDir Path dir) throws Exception {
    final Path file = dir.resolve("frames.pcap");
    final Random random = new Random(7);
    final int[] lengths = {60, 61, 14, 1514, 1, 0, 127, 2000};
    final byte[][] frames = new byte[lengths.length][];
    try (Arena arena = Arena.ofConfined();
        PcapWriter writer = PcapWriter.create(file)) {
      final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 4096, 4, "pcap");
      for (int i = 0; i < lengths.length; i++) {
        frames[i] = randomFrame(random, lengths[i]);
        write(writer, pool, frames[i], 1_795_000_000_123_456L + i * 1_000_001L);
      }
      assertEquals(lengths.length, writer.packets());
      assertEquals(Arrays.stream(lengths).sum(), writer.packetBytes());
      assertEquals(4, pool.freeCount());
    }
    final PcapFile pcap = PcapFile.read(file);
    pcap.assertStandardHeader();
    assertEquals(lengths.length, pcap.records().size());
    for (int i = 0; i < lengths.length; i++) {
      final PcapFile.Record r = pcap.records().get(i);
      assertEquals(lengths[i], r.inclLen(), "incl_len of record " + i);
      assertEquals(lengths[i], r.origLen(), "orig_len of record " + i);
      assertArrayEquals(frames[i], r.data(), "bytes of record " + i);
      assertEquals(1_795_000_000L + i, r.tsSec(), "ts_sec of record " + i);
      assertEquals(123_456 + i, r.tsUsec(), "ts_usec of record " + i);
    }
    assertEquals(24 + 16L * lengths.length + Arrays.stream(lengths).sum(), Files.size(file));
  }

  @Test
  void anEmptyCaptureIsAValidFileWithTheHeaderOnly(@TempDir Path dir) throws Exception {
    final Path file = dir.resolve("empty.pcap");
    Files.writeString(file, "old contents that must go away");
    try (PcapWriter writer = PcapWriter.create(file)) {
      assertEquals(24, writer.fileBytes(), "the header is on disk at once");
      assertEquals(24, Files.size(file));
    }
    final PcapFile pcap = PcapFile.read(file);
    pcap.assertStandardHeader();
    assertEquals(0, pcap.records().size());
  }

  @Test
  void aSmallBufferAndASnapLengthCutPacketsCorrectly(@TempDir Path dir) throws Exception {
    final Path file = dir.resolve("small.pcap");
    final Random random = new Random(11);
    final byte[][] frames = new byte[50][];
    try (Arena arena = Arena.ofConfined();
        PcapWriter writer = PcapWriter.create(file, 100, 24)) {
      final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 1, "pcap");
      for (int i = 0; i < frames.length; i++) {
        frames[i] = randomFrame(random, 1 + random.nextInt(300));
        write(writer, pool, frames[i], i);
      }
    }
    final PcapFile pcap = PcapFile.read(file);
    assertEquals(100, pcap.snaplen());
    assertEquals(frames.length, pcap.records().size());
    for (int i = 0; i < frames.length; i++) {
      final PcapFile.Record r = pcap.records().get(i);
      final int kept = Math.min(100, frames[i].length);
      assertEquals(kept, r.inclLen());
      assertEquals(frames[i].length, r.origLen());
      assertArrayEquals(Arrays.copyOf(frames[i], kept), r.data(), "record " + i);
      assertEquals(0, r.tsSec());
      assertEquals(i, r.tsUsec());
    }
  }

  @Test
  void writingAllocatesNothingPerPacket(@TempDir Path dir) {
    final AllocationMeter meter = new AllocationMeter();
    final int packets = 200_000;
    try (Arena arena = Arena.ofConfined();
        PcapWriter writer = PcapWriter.create(dir.resolve("many.pcap"))) {
      final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 1, "pcap");
      final OwnedPacket p = pool.alloc(64);
      for (int i = 0; i < 50_000; i++) {
        writer.write(p, i); // warm-up: JIT, the channel's first writes
      }
      meter.begin();
      for (int i = 0; i < packets; i++) {
        writer.write(p, i);
      }
      meter.end();
      p.free();
    }
    assertTrue(meter.total() < packets / 2, meter.perPacket(packets));
  }

  @Test
  void aFileThatCannotBeCreatedIsNamedInTheError(@TempDir Path dir) {
    final Path missing = dir.resolve("no/such/dir/x.pcap");
    final UncheckedIOException e =
        assertThrows(UncheckedIOException.class, () -> PcapWriter.create(missing));
    assertEquals(missing + ": create capture file: no such directory", e.getMessage());
    final UncheckedIOException isDir =
        assertThrows(UncheckedIOException.class, () -> PcapWriter.create(dir));
    assertTrue(isDir.getMessage().startsWith(dir + ": create capture file: "), isDir.getMessage());
  }

  @Test
  void badSizesAreRefused(@TempDir Path dir) {
    assertThrows(IllegalArgumentException.class, () -> PcapWriter.create(dir.resolve("a"), 0, 1024));
    assertThrows(IllegalArgumentException.class, () -> PcapWriter.create(dir.resolve("a"), 100, 16));
    assertTrue(!Files.exists(dir.resolve("a")), "nothing created for refused arguments");
  }
}
