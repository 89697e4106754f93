package dev.panamax.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/** {@code recv --light}: frames are counted and freed, whatever they hold, and never verified. */
class RecvLightTest {
  /** Sends {@code n} 60-byte frames of zeros: not pktgen's frames, so a verifier calls them corrupt. */
  private static void feedZeros(NetworkDevice end0, Mempool pool, int n) {
    final PacketBatch batch = new PacketBatch(n);
    for (int i = 0; i < n; i++) {
      final OwnedPacket p = pool.alloc(60);
      batch.add(p);
    }
    assertEquals(n, end0.txBatch(0, batch));
  }

  @Test
  void aLightVerifierCountsAnyFrameAsUnverifiedAndFreesIt() {
    try (Arena arena = Arena.ofConfined();
        NetworkDevice end0 = NetworkDevice.open("pair:light-v:0");
        NetworkDevice end1 = NetworkDevice.open("pair:light-v:1")) {
      final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 64, "light");
      feedZeros(end0, pool, 20);
      final Verifier light = new Verifier(end1, 0, 32, 0, false, true);
      assertEquals(20, light.step());
      assertEquals(20, light.unverified());
      assertEquals(20, light.received());
      assertEquals(20, light.checked(), "progress is published for a watching thread");
      assertEquals(0, light.valid());
      assertEquals(0, light.corrupt(), "nothing is verified");

      feedZeros(end0, pool, 5);
      final Verifier full = new Verifier(end1, 0, 32, 0, false, false);
      assertEquals(5, full.step());
      assertEquals(5, full.corrupt(), "the same frames fail a full verifier");
      assertEquals(0, full.unverified());
      assertEquals(64, pool.freeCount(), "every received frame went back to its pool");
    }
  }

  @Test
  void recvLightStopsAtCountAndReportsTheFramesAndTheirRate() {
    try (Arena arena = Arena.ofConfined();
        NetworkDevice end0 = NetworkDevice.open("pair:light-cmd:0")) {
      final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 64, "feed");
      feedZeros(end0, pool, 40);
      final AppRunner.Result r =
          AppRunner.run("recv", "pair:light-cmd:1", "--light", "--count", "40", "--seconds", "20");
      assertEquals(0, r.code(), r.all());
      assertTrue(r.out().contains("recv on pair:light-cmd:1 (pair, "), r.out());
      assertTrue(r.out().contains(", light: frames counted, not verified"), r.out());
      assertTrue(r.out().matches("(?s).*recv summary: received 40 frames in [0-9.]+ s \\([0-9.]+"
          + " [kM]?pps\\), not verified \\(--light\\); device counters: rx 40 packets 2400 bytes.*"),
          r.out());
    }
  }

  @Test
  void recvLightFailsWhenFewerThanCountFramesArrive() {
    try (Arena arena = Arena.ofConfined();
        NetworkDevice end0 = NetworkDevice.open("pair:light-short:0")) {
      final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 64, "feed");
      feedZeros(end0, pool, 10);
      final AppRunner.Result r =
          AppRunner.run("recv", "pair:light-short:1", "--light", "--count", "11", "--seconds", "1");
      assertEquals(3, r.code(), r.all());
      assertTrue(r.out().contains("recv summary: received 10 frames"), r.out());
    }
  }
}
