package dev.panamax.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * pktgen's --queues: queue q of N sends the sequence numbers q, q+N, ... below --count, so the
 * queues together send each number once; devices with one transmit queue refuse more.
 */
class PktgenQueuesTest {

  @Test
  void theQueuesShareTheSequenceNumbersWithoutGapOrOverlap() {
    for (long limit : new long[] {1, 2, 10, 1600, 1601}) {
      for (int queues = 1; queues <= 16; queues++) {
        long total = 0;
        for (int q = 0; q < queues; q++) {
          final long share = PacketGenerator.share(limit, q, queues);
          long expected = 0;
          for (long s = 0; s < limit; s++) {
            expected += s % queues == q ? 1 : 0;
          }
          assertEquals(expected, share, "queue " + q + " of " + queues + ", limit " + limit);
          total += share;
        }
        assertEquals(limit, total, queues + " queues, limit " + limit);
      }
    }
  }

  @Test
  void queueZeroOfThreeSendsEveryThirdNumberWithItsFlows() {
    final List<Long> sequences = new ArrayList<>();
    final List<Integer> ports = new ArrayList<>();
    try (Arena arena = Arena.ofConfined();
        NetworkDevice tx = NetworkDevice.open("pair:pgq:0");
        NetworkDevice rx = NetworkDevice.open("pair:pgq:1")) {
      final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 64, "pgq");
      final PacketGenerator gen = new PacketGenerator(tx, 0, 3, pool, 8, 60, 10,
          PacketGenerator.DEFAULT_DESTINATION, 0, 6);
      final PacketBatch batch = new PacketBatch(8);
      for (int round = 0; round < 100 && !gen.isDone(); round++) {
        gen.step();
      }
      assertTrue(gen.isDone(), "queue 0's share sent");
      assertEquals(4, gen.sent());
      rx.rxBatch(0, batch, 8);
      while (!batch.isEmpty()) {
        final OwnedPacket p = batch.take();
        sequences.add(TestFrame.verify(p));
        ports.add(Short.toUnsignedInt(p.getShort(TestFrame.SOURCE_PORT_OFFSET)));
        p.free();
      }
      gen.close();
    }
    assertEquals(List.of(0L, 3L, 6L, 9L), sequences, "every third number, from 0, below 10");
    // 6 flows over 3 queues: queue 0 sends only the flows from ports 42 and 45.
    assertEquals(List.of(42, 45, 42, 45), ports);
  }

  @Test
  void aQueueOutsideTheCountIsRefused() {
    try (Arena arena = Arena.ofConfined();
        NetworkDevice tx = NetworkDevice.open("pair:pgq2:0")) {
      final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 8, "pgq2");
      final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
          new PacketGenerator(tx, 3, 3, pool, 8, 60, 10, PacketGenerator.DEFAULT_DESTINATION, 0, 1));
      assertEquals("queue 3 of 3", e.getMessage());
    }
  }

  @Test
  void aDeviceWithOneTransmitQueueRefusesTwoWithOneLine() {
    final AppRunner.Result r = AppRunner.run("pktgen", "null:pgq", "--queues", "2", "--count", "10");
    assertEquals("panamax pktgen: null:pgq: check options: txQueues 2: must be between 1 and 1 (the"
        + " null driver drives 1 transmit queue)\n", r.err(), r.all());
    assertEquals(1, r.code(), r.all());
    assertEquals("", r.out(), "nothing was sent");
  }
}
