package dev.panamax.impl.mempool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Move semantics of PacketBatch with real packets. */
class PacketBatchTest {
  private final Arena arena = Arena.ofConfined();
  private final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 256, 16, "batch");

  @AfterEach
  void close() {
    arena.close();
  }

  @Test
  void addAndTakeMoveInFifoOrder() {
    final PacketBatch batch = new PacketBatch(4);
    final OwnedPacket a = pool.alloc(1);
    final OwnedPacket b = pool.alloc(2);
    batch.add(a);
    batch.add(b);
    assertEquals(2, batch.size());
    assertEquals(2, batch.remaining());
    assertSame(a, batch.take());
    assertSame(b, batch.takeLast());
    assertTrue(batch.isEmpty());
    assertThrows(NoSuchElementException.class, batch::take);
    assertThrows(NoSuchElementException.class, batch::takeLast);
    a.free();
    b.free();
  }

  @Test
  void fullBatchRefusesAndCallerKeepsThePacket() {
    final PacketBatch batch = new PacketBatch(1);
    batch.add(pool.alloc(1));
    final OwnedPacket extra = pool.alloc(1);
    assertThrows(IllegalStateException.class, () -> batch.add(extra));
    extra.free();
    assertTrue(batch.isFull());
    batch.freeAll();
    assertEquals(16, pool.freeCount());
  }

  @Test
  void getLendsWithoutMovingAndChecksIndex() {
    final PacketBatch batch = new PacketBatch(3);
    pool.allocBatch(batch, 3, 10);
    batch.get(1).putByte(0, (byte) 7);
    assertEquals(3, batch.size());
    assertEquals(7, batch.get(1).getByte(0));
    assertThrows(IndexOutOfBoundsException.class, () -> batch.get(3));
    assertThrows(IndexOutOfBoundsException.class, () -> batch.get(-1));
    batch.freeAll();
  }

  @Test
  void wrapsAroundAfterTakesWithoutLosingOrder() {
    final PacketBatch batch = new PacketBatch(4);
    final List<OwnedPacket> order = new ArrayList<>();
    for (int round = 0; round < 10; round++) {
      while (!batch.isFull()) {
        final OwnedPacket p = pool.alloc(1);
        order.add(p);
        batch.add(p);
      }
      for (int i = 0; i < 3; i++) {
        final OwnedPacket p = batch.take();
        assertSame(order.remove(0), p);
        p.free();
      }
    }
    assertEquals(1, batch.size());
    assertSame(order.get(0), batch.get(0));
    batch.freeAll();
  }

  @Test
  void freeIfDropsSelectedAndKeepsOthersInOrder() {
    final PacketBatch batch = new PacketBatch(8);
    for (int i = 0; i < 8; i++) {
      final OwnedPacket p = pool.alloc(1);
      p.putByte(0, (byte) i);
      batch.add(p);
    }
    assertEquals(4, batch.freeIf(p -> (p.getByte(0) & 1) == 1));
    assertEquals(4, batch.size());
    final int[] seen = new int[4];
    final int[] n = {0};
    batch.forEach(p -> seen[n[0]++] = p.getByte(0));
    assertEquals(List.of(0, 2, 4, 6), List.of(seen[0], seen[1], seen[2], seen[3]));
    assertEquals(12, pool.freeCount());
    batch.freeAll();
  }

  @Test
  void capacityMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new PacketBatch(0));
  }
}
