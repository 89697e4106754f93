package dev.panamax.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code panamax pcap} on in-memory pairs fed by the packet generator; files read back. */
class PcapCommandTest {
  private static final int SIZE = 100;

  private static long nowMicros() {
    final Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  /** Sends {@code n} test frames (sequence 0..n-1) into the pair; they wait in its ring. */
  private static void feed(NetworkDevice end0, Mempool pool, int n) {
    final PacketGenerator gen = new PacketGenerator(end0, pool, 32, SIZE, n);
    while (!gen.isDone()) {
      assertTrue(gen.step() > 0, "the pair's ring took the frames");
    }
    gen.close();
  }

  private static byte[] expectedFrame(Mempool pool, NetworkDevice sender, long seq) {
    final OwnedPacket p = pool.alloc(SIZE);
    new TestFrame(SIZE, PacketGenerator.DEFAULT_DESTINATION.octets(), sender.macAddress().octets())
        .write(p, seq);
    final byte[] bytes = new byte[SIZE];
    p.copyTo(0, bytes, 0, SIZE);
    p.free();
    return bytes;
  }

  @Test
  void capturesExactlyCountFramesWithExactBytesAndOneTimestampPerBatch(@TempDir Path dir)
      throws Exception {
    final Path file = dir.resolve("capture.pcap");
    try (Arena arena = Arena.ofConfined();
        NetworkDevice end0 = NetworkDevice.open("pair:pcap-cmd:0")) {
      final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 512, "feed");
      feed(end0, pool, 310);
      final long before = nowMicros();
      final AppRunner.Result r =
          AppRunner.run("pcap", "pair:pcap-cmd:1", file.toString(), "300", "--batch", "16");
      final long after = nowMicros();
      assertEquals(0, r.code(), r.all());
      assertTrue(r.out().startsWith("pcap on pair:pcap-cmd:1 (pair, "), r.out());
      assertTrue(r.out().contains("pcap summary: 300 packets, 30000 bytes written to " + file
          + " (" + (24 + 300 * (16 + SIZE)) + " bytes with headers); device counters: rx 300"
          + " packets 30000 bytes, 0 errors"), r.out());

      final PcapFile pcap = PcapFile.read(file);
      pcap.assertStandardHeader();
      assertEquals(300, pcap.records().size());
      for (int i = 0; i < 300; i++) {
        final PcapFile.Record rec = pcap.records().get(i);
        assertEquals(SIZE, rec.inclLen());
        assertEquals(SIZE, rec.origLen());
        assertArrayEquals(expectedFrame(pool, end0, i), rec.data(), "frame " + i);
        assertTrue(rec.tsUsec() < 1_000_000, "ts_usec below one second");
        assertTrue(rec.micros() >= before - 1_000 && rec.micros() <= after + 1_000,
            "timestamp " + rec.micros() + " within the run [" + before + ", " + after + "]");
        // All 310 frames were queued, so batches hold 16: one timestamp per batch.
        final PcapFile.Record first = pcap.records().get(i - i % 16);
        assertEquals(first.micros(), rec.micros(), "frame " + i + " shares its batch's timestamp");
        if (i > 0) {
          assertTrue(rec.micros() >= pcap.records().get(i - 1).micros(), "time goes forward");
        }
      }
      // Stopped exactly at the count: the 10 frames beyond it are still in the link.
      try (NetworkDevice end1 = NetworkDevice.open("pair:pcap-cmd:1")) {
        final PacketBatch rest = new PacketBatch(32);
        assertEquals(10, end1.rxBatch(0, rest, 32));
        assertEquals(300, TestFrame.verify(rest.get(0)));
        assertEquals(309, TestFrame.verify(rest.get(9)));
        rest.freeAll();
      }
      assertEquals(512, pool.freeCount(), "every captured frame went back to its pool");
    }
  }

  @Test
  void countOptionWorksLikeThePositionalCountAndBothMustAgree(@TempDir Path dir) throws Exception {
    final Path file = dir.resolve("c.pcap");
    try (Arena arena = Arena.ofConfined();
        NetworkDevice end0 = NetworkDevice.open("pair:pcap-count:0")) {
      final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 64, "feed");
      feed(end0, pool, 20);
      final AppRunner.Result r = AppRunner.run("pcap", "pair:pcap-count:1", file.toString(),
          "--count", "20", "--backoff", "--promisc");
      assertEquals(0, r.code(), r.all());
      assertTrue(r.out().contains("promiscuous true"), r.out());
      assertEquals(20, PcapFile.read(file).records().size());

      final AppRunner.Result both = AppRunner.run("pcap", "pair:pcap-count:1", file.toString(),
          "5", "--count", "6");
      assertEquals(1, both.code());
      assertEquals("panamax pcap: COUNT 5 and --count 6 disagree; give the packet count once\n",
          both.err());
      assertEquals(20, PcapFile.read(file).records().size(), "refused before touching the file");
    }
  }

  @Test
  void aFileThatCannotBeCreatedGivesOneLineNamingItAndReleasesTheDevice(@TempDir Path dir) {
    final Path file = dir.resolve("missing/capture.pcap");
    final AppRunner.Result r = AppRunner.run("pcap", "pair:pcap-bad:1", file.toString(), "1");
    assertEquals(1, r.code(), r.all());
    assertEquals("panamax pcap: " + file + ": create capture file: no such directory\n", r.err());
    assertFalse(Files.exists(file.getParent()));
    // The device was closed again: its end can be opened.
    try (NetworkDevice again = NetworkDevice.open("pair:pcap-bad:1")) {
      assertEquals("pair:pcap-bad:1", again.address());
    }
  }

  @Test
  void fewerFramesThanCountEndsAtTheDeadlineWithStatus3AndAValidFile(@TempDir Path dir)
      throws Exception {
    final Path file = dir.resolve("short.pcap");
    try (Arena arena = Arena.ofConfined();
        NetworkDevice end0 = NetworkDevice.open("pair:pcap-short:0")) {
      final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 64, "feed");
      feed(end0, pool, 7);
      final AppRunner.Result r = AppRunner.run("pcap", "pair:pcap-short:1", file.toString(), "50",
          "--seconds", "1", "--backoff");
      assertEquals(3, r.code(), r.all());
      assertTrue(r.out().contains("pcap summary: 7 packets, 700 bytes"), r.out());
      final PcapFile pcap = PcapFile.read(file);
      pcap.assertStandardHeader();
      assertEquals(7, pcap.records().size());
    }
  }

  @Test
  void idleStopsTheCaptureOnceTrafficEnds(@TempDir Path dir) throws Exception {
    final Path file = dir.resolve("idle.pcap");
    try (Arena arena = Arena.ofConfined();
        NetworkDevice end0 = NetworkDevice.open("pair:pcap-idle:0")) {
      final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 64, "feed");
      feed(end0, pool, 5);
      final long start = System.nanoTime();
      final AppRunner.Result r = AppRunner.run("pcap", "pair:pcap-idle:1", file.toString(),
          "--idle", "1", "--seconds", "30", "--backoff");
      final double seconds = (System.nanoTime() - start) / 1e9;
      assertEquals(0, r.code(), r.all());
      assertTrue(seconds < 10, "stopped by --idle after " + seconds + " s");
      assertEquals(5, PcapFile.read(file).records().size());
    }
  }
}
