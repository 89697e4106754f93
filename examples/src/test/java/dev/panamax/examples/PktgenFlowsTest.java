package dev.panamax.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** pktgen's --flows: the UDP source port cycles over N values; one flow is the old frame. */
class PktgenFlowsTest {

  /** Generates {@code count} frames with {@code flows} flows over a pair and returns them. */
  private static List<byte[]> generate(String link, int flows, int count) {
    return generate(link, flows, count, false);
  }

  /**
   * Generates {@code count} frames over a pair and returns them in arrival order; full frames
   * must verify with their sequence number, light ones ({@code light}) cannot.
   */
  private static List<byte[]> generate(String link, int flows, int count, boolean light) {
    final List<byte[]> frames = new ArrayList<>();
    try (Arena arena = Arena.ofConfined();
        NetworkDevice tx = NetworkDevice.open("pair:" + link + ":0");
        NetworkDevice rx = NetworkDevice.open("pair:" + link + ":1")) {
      final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 64, "flows");
      final PacketGenerator gen = flows == 0
          ? new PacketGenerator(tx, pool, 8, 60, count)
          : new PacketGenerator(tx, 0, 1, pool, 8, 60, count, PacketGenerator.DEFAULT_DESTINATION,
              0, flows, light);
      final PacketBatch batch = new PacketBatch(8);
      while (frames.size() < count) {
        gen.step();
        rx.rxBatch(0, batch, 8);
        while (!batch.isEmpty()) {
          final OwnedPacket p = batch.take();
          final byte[] bytes = new byte[p.length()];
          p.copyTo(0, bytes, 0, bytes.length);
          if (!light) {
            assertEquals(frames.size(), TestFrame.verify(p), "sequence number and checksum intact");
          }
          frames.add(bytes);
          p.free();
        }
      }
      assertTrue(gen.isDone());
      gen.close();
    }
    return frames;
  }

  private static int port(byte[] frame, int offset) {
    return ((frame[offset] & 0xFF) << 8) | (frame[offset + 1] & 0xFF);
  }

  @Test
  void sourcePortCyclesOverTheFlowsInSequenceOrder() {
    final List<byte[]> frames = generate("pgflows4", 4, 10);
    for (int seq = 0; seq < frames.size(); seq++) {
      assertEquals(42 + seq % 4, port(frames.get(seq), 34), "source port of frame " + seq);
      assertEquals(1337, port(frames.get(seq), 36), "destination port of frame " + seq);
    }
  }

  /** TestFrames as the original generator wrote them, from the MAC of pair:LINK:0. */
  private static List<byte[]> referenceFrames(String link, int count) {
    final List<byte[]> frames = new ArrayList<>();
    try (Arena arena = Arena.ofConfined();
        NetworkDevice tx = NetworkDevice.open("pair:" + link + ":0")) {
      final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 1, "reference");
      final TestFrame frame = new TestFrame(60, PacketGenerator.DEFAULT_DESTINATION.octets(),
          tx.macAddress().octets());
      for (int seq = 0; seq < count; seq++) {
        final OwnedPacket p = pool.alloc(60);
        frame.write(p, seq);
        final byte[] bytes = new byte[60];
        p.copyTo(0, bytes, 0, 60);
        frames.add(bytes);
        p.free();
      }
    }
    return frames;
  }

  @Test
  void oneFlowSendsTheUnchangedTestFrame() {
    final List<byte[]> expected = referenceFrames("pgflows1", 5);
    final List<byte[]> oneFlow = generate("pgflows1", 1, 5);
    final List<byte[]> defaultConstructor = generate("pgflows1", 0, 5);
    for (int seq = 0; seq < 5; seq++) {
      assertArrayEquals(expected.get(seq), oneFlow.get(seq), "frame " + seq);
      assertArrayEquals(expected.get(seq), defaultConstructor.get(seq), "frame " + seq);
      assertEquals(42, port(oneFlow.get(seq), 34));
    }
  }

  @Test
  void awaitTransmittedWaitsForCompletionsAndGivesUpWhenNothingMoves() {
    try (Arena arena = Arena.ofConfined();
        NetworkDevice tx = NetworkDevice.open("pair:pgawait:0");
        NetworkDevice rx = NetworkDevice.open("pair:pgawait:1")) {
      final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 64, "await");
      final PacketGenerator gen = new PacketGenerator(tx, pool, 16, 60, 10);
      while (!gen.isDone()) {
        gen.step();
      }
      // Nobody reads the link: the ten frames stay in flight and the wait gives up.
      final long start = System.nanoTime();
      assertEquals(10, gen.awaitTransmitted(50_000_000L));
      assertTrue(System.nanoTime() - start >= 50_000_000L);
      final PacketBatch batch = new PacketBatch(16);
      assertEquals(10, rx.rxBatch(0, batch, 16));
      batch.freeAll();
      assertEquals(0, gen.awaitTransmitted(50_000_000L));
      assertEquals(64, pool.freeCount());
    }
  }

  /** pktgen --light: frames with the full frame's headers and sequence numbers, in order. */
  @Test
  void lightFramesCarryHeadersAndSequenceNumbersInOrder() {
    final List<byte[]> expected = referenceFrames("pglight", 20);
    final List<byte[]> light = generate("pglight", 1, 20, true);
    for (int seq = 0; seq < 20; seq++) {
      final byte[] bytes = light.get(seq);
      assertEquals(seq, java.nio.ByteBuffer.wrap(bytes).getLong(TestFrame.SEQ_OFFSET),
          "sequence number");
      assertArrayEquals(java.util.Arrays.copyOf(expected.get(seq), TestFrame.CHECK_OFFSET),
          java.util.Arrays.copyOf(bytes, TestFrame.CHECK_OFFSET), "headers of frame " + seq);
    }
  }

  @Test
  void theOptionIsValidatedBeforeTheDeviceIsOpened() {
    final PrintStream oldOut = System.out;
    final PrintStream oldErr = System.err;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final int bad;
    final int good;
    final String badErr;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      // A malformed device would fail to open; the flow count is refused first.
      bad = Main.run("pktgen", "eth0", "--flows", "0");
      badErr = err.toString(StandardCharsets.UTF_8);
      good = Main.run("pktgen", "null:pgflows", "--flows", "4", "--count", "1000", "--light");
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    assertEquals(1, bad);
    assertEquals("panamax pktgen: --flows 0: must be between 1 and 65494 (UDP source ports 42 to"
        + " 65535)", badErr.strip());
    assertEquals(0, good, err.toString(StandardCharsets.UTF_8));
    final String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains(", 60 B frames, 4 flows, light frames"), text);
    assertTrue(text.contains("pktgen: sent 1000 packets"), text);
  }
}
