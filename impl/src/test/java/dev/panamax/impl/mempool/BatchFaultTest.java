package dev.panamax.impl.mempool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.MempoolExhaustedException;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;
import dev.panamax.api.PacketOwnershipException;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Exceptions injected at every step of every batch and mempool operation: afterwards the batch
 * holds exactly the packets it should, in order, and stays usable; the pool's counters match
 * the packets the test holds; and the pool is whole again at the end (every buffer free, none
 * lost, none on the free stack twice).
 */
class BatchFaultTest {
  private static final int N = 6;
  private static final int CAPACITY = 16;

  private final Arena arena = Arena.ofConfined();
  private final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 256, CAPACITY, "faults");

  @AfterEach
  void close() {
    arena.close();
  }

  /** A batch of {@link #N} packets whose byte 0 is their position. */
  private PacketBatch filled() {
    final PacketBatch batch = new PacketBatch(8);
    assertEquals(N, pool.allocBatch(batch, N, 60));
    for (int i = 0; i < N; i++) {
      batch.get(i).putByte(0, (byte) i);
    }
    return batch;
  }

  /** Buffer indices of the batch's packets, front to back (no ownership check involved). */
  private static List<Integer> indices(PacketBatch batch) {
    final List<Integer> out = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      out.add(batch.get(i).bufferIndex());
    }
    return out;
  }

  private void assertCounts(int owned, int inFlight) {
    assertEquals(owned, pool.ownedCount(), pool.toString());
    assertEquals(inFlight, pool.inFlightCount(), pool.toString());
    assertEquals(CAPACITY - owned - inFlight, pool.freeCount(), pool.toString());
  }

  /** Every buffer is free, and allocating all of them gives each index exactly once. */
  private void assertWhole() {
    assertCounts(0, 0);
    final PacketBatch all = new PacketBatch(CAPACITY);
    assertEquals(CAPACITY, pool.allocBatch(all, CAPACITY, 60));
    final Set<Integer> distinct = new HashSet<>(indices(all));
    assertEquals(CAPACITY, distinct.size(), "a buffer was on the free stack twice: " + indices(all));
    assertEquals(CAPACITY, all.freeAll());
    assertCounts(0, 0);
  }

  /** The batch is usable: a packet goes in and comes out at the back. */
  private void assertUsable(PacketBatch batch) {
    final int size = batch.size();
    final OwnedPacket extra = pool.alloc(60);
    batch.add(extra);
    assertEquals(size + 1, batch.size());
    assertSame(extra, batch.takeLast());
    extra.free();
    assertEquals(size, batch.size());
  }

  // ---- freeIf ----

  @Test
  void freeIfWhoseFilterThrowsAtAnyPacketChangesNothing() {
    for (int k = 0; k < N; k++) {
      final PacketBatch batch = filled();
      final List<Integer> before = indices(batch);
      final int failAt = k;
      final IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> batch.freeIf(p -> {
            if (p.getByte(0) == failAt) {
              throw new IllegalStateException("filter fails at " + failAt);
            }
            return (p.getByte(0) & 1) == 0;
          }));
      assertEquals("filter fails at " + k, e.getMessage());
      assertEquals(before, indices(batch), "k=" + k);
      assertCounts(N, 0);
      assertUsable(batch);
      // The same call without the fault drops the even packets and keeps the odd ones in order.
      assertEquals(3, batch.freeIf(p -> (p.getByte(0) & 1) == 0));
      assertEquals(List.of(before.get(1), before.get(3), before.get(5)), indices(batch));
      assertCounts(3, 0);
      assertEquals(3, batch.freeAll());
      assertWhole();
    }
  }

  @Test
  void freeIfMeetingAnAlreadyFreedPacketFreesTheOthersAndDropsIt() {
    for (int m = 0; m < N; m++) {
      final PacketBatch batch = filled();
      final List<Integer> before = indices(batch);
      final int dead = before.get(m);
      batch.get(m).free(); // unchecked code freed a packet the batch still holds
      // Select the dead one and every even position, without reading the dead handle's bytes.
      final Set<Integer> selected = new HashSet<>(List.of(dead, before.get(0), before.get(2), before.get(4)));
      final PacketOwnershipException e = assertThrows(PacketOwnershipException.class,
          () -> batch.freeIf(p -> selected.contains(p.bufferIndex())));
      assertTrue(e.getMessage().startsWith("free() on a packet the application no longer owns:"
          + " pool 'faults' buffer #" + dead + " was consumed by free()"), e.getMessage());
      final List<Integer> kept = new ArrayList<>(before);
      kept.removeAll(selected);
      assertEquals(kept, indices(batch), "m=" + m);
      assertCounts(kept.size(), 0);
      assertUsable(batch);
      assertEquals(kept.size(), batch.freeAll());
      assertWhole();
    }
  }

  @Test
  void freeIfWhoseFilterReadsAFreedPacketChangesNothing() {
    final PacketBatch batch = filled();
    final List<Integer> before = indices(batch);
    batch.get(2).free();
    assertThrows(PacketOwnershipException.class, () -> batch.freeIf(p -> p.getByte(0) == 0));
    assertEquals(before, indices(batch));
    assertCounts(N - 1, 0);
    // Recovery: freeAll frees the five live packets and reports the dead handle.
    assertThrows(PacketOwnershipException.class, batch::freeAll);
    assertTrue(batch.isEmpty());
    assertWhole();
  }

  @Test
  void freeIfWhoseFilterChangesTheBatchIsRefusedWithoutFreeing() {
    final PacketBatch batch = filled();
    final List<Integer> before = indices(batch);
    final List<OwnedPacket> taken = new ArrayList<>();
    final ConcurrentModificationException e = assertThrows(ConcurrentModificationException.class,
        () -> batch.freeIf(p -> {
          taken.add(batch.takeLast());
          return true;
        }));
    assertEquals("PacketBatch.freeIf: the callback added or removed packets of the batch it was"
        + " called from", e.getMessage());
    assertEquals(before.subList(0, N - 1), indices(batch));
    assertCounts(N, 0);
    taken.forEach(OwnedPacket::free);
    batch.freeAll();
    assertWhole();
  }

  // ---- freeAll ----

  @Test
  void freeAllWithAnAlreadyFreedPacketAnywhereFreesTheRestAndEmptiesTheBatch() {
    for (int m = 0; m < N; m++) {
      final PacketBatch batch = filled();
      final int dead = batch.get(m).bufferIndex();
      batch.get(m).free();
      final PacketOwnershipException e = assertThrows(PacketOwnershipException.class, batch::freeAll);
      assertTrue(e.getMessage().startsWith("free() on a packet the application no longer owns:"
          + " pool 'faults' buffer #" + dead), e.getMessage());
      assertEquals(0, batch.size(), "m=" + m);
      assertTrue(batch.isEmpty());
      assertUsable(batch);
      assertWhole();
    }
  }

  @Test
  void freeAllReportsTheFirstFailureAndAttachesTheOthers() {
    final PacketBatch batch = filled();
    final int first = batch.get(1).bufferIndex();
    final int second = batch.get(4).bufferIndex();
    batch.get(1).free();
    batch.get(4).free();
    final PacketOwnershipException e = assertThrows(PacketOwnershipException.class, batch::freeAll);
    assertTrue(e.getMessage().contains("buffer #" + first + " "), e.getMessage());
    assertEquals(1, e.getSuppressed().length);
    assertTrue(e.getSuppressed()[0].getMessage().contains("buffer #" + second + " "));
    assertTrue(batch.isEmpty());
    assertWhole();
  }

  @Test
  void freeAllAfterAWrapAroundFreesEveryPacketOnce() {
    final PacketBatch batch = new PacketBatch(4);
    pool.allocBatch(batch, 4, 60);
    batch.take().free();
    batch.take().free();
    batch.add(pool.alloc(60)); // compacts: the batch's packets move to the front of its array
    final int dead = batch.get(1).bufferIndex();
    batch.get(1).free();
    final PacketOwnershipException e = assertThrows(PacketOwnershipException.class, batch::freeAll);
    assertTrue(e.getMessage().contains("buffer #" + dead + " "), e.getMessage());
    assertTrue(batch.isEmpty());
    assertWhole();
  }

  // ---- forEach ----

  @Test
  void forEachWhoseVisitorThrowsAtAnyPacketChangesNothing() {
    for (int k = 0; k < N; k++) {
      final PacketBatch batch = filled();
      final List<Integer> before = indices(batch);
      final int failAt = k;
      final int[] visited = {0};
      assertThrows(ArithmeticException.class, () -> batch.forEach(p -> {
        if (p.getByte(0) == failAt) {
          throw new ArithmeticException("visitor fails at " + failAt);
        }
        visited[0]++;
      }));
      assertEquals(k, visited[0], "packets before the failing one were visited once");
      assertEquals(before, indices(batch));
      assertCounts(N, 0);
      assertUsable(batch);
      assertEquals(N, batch.freeAll());
      assertWhole();
    }
  }

  @Test
  void forEachWhoseVisitorTakesFromTheBatchStopsWithAClearError() {
    final PacketBatch batch = filled();
    final List<Integer> before = indices(batch);
    final List<OwnedPacket> taken = new ArrayList<>();
    final ConcurrentModificationException e = assertThrows(ConcurrentModificationException.class,
        () -> batch.forEach(p -> taken.add(batch.take())));
    assertEquals("PacketBatch.forEach: the callback added or removed packets of the batch it was"
        + " called from", e.getMessage());
    assertEquals(before.subList(1, N), indices(batch));
    assertCounts(N, 0);
    taken.forEach(OwnedPacket::free);
    assertEquals(N - 1, batch.freeAll());
    assertWhole();
  }

  @Test
  void aVisitorThatFreesItsLentPacketLeavesABatchThatFreeAllStillEmpties() {
    final PacketBatch batch = filled();
    batch.forEach(p -> {
      if (p.getByte(0) == 3) {
        p.free(); // what Kotlin or reflection could do; the batch still holds the handle
      }
    });
    assertEquals(N, batch.size());
    assertCounts(N - 1, 0);
    assertThrows(PacketOwnershipException.class, batch::freeAll);
    assertTrue(batch.isEmpty());
    assertWhole();
  }

  // ---- add, take, get ----

  @Test
  void addTakeAndGetThatThrowChangeNothing() {
    final PacketBatch batch = new PacketBatch(2);
    final NullPointerException npe = assertThrows(NullPointerException.class, () -> batch.add(null));
    assertEquals("PacketBatch.add(null): a batch holds packets, not null", npe.getMessage());
    assertTrue(batch.isEmpty());
    assertThrows(NoSuchElementException.class, batch::take);
    assertThrows(NoSuchElementException.class, batch::takeLast);
    assertEquals(0, batch.size());
    pool.allocBatch(batch, 2, 60);
    final List<Integer> before = indices(batch);
    final OwnedPacket extra = pool.alloc(60);
    final IllegalStateException full = assertThrows(IllegalStateException.class, () -> batch.add(extra));
    assertEquals("PacketBatch is full (capacity 2)", full.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> batch.get(2));
    assertEquals(before, indices(batch));
    assertCounts(3, 0);
    extra.putByte(0, (byte) 1); // the caller still owns the refused packet
    extra.free();
    batch.freeAll();
    assertWhole();
  }

  // ---- Mempool ----

  @Test
  void allocWithABadLengthOrAnEmptyPoolChangesNothing() {
    final IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> pool.alloc(193));
    assertEquals("packet length 193 outside [0, 192] for mempool 'faults'", e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> pool.alloc(-1));
    assertThrows(IndexOutOfBoundsException.class, () -> pool.tryAlloc(-1));
    assertCounts(0, 0);
    final PacketBatch all = new PacketBatch(CAPACITY);
    pool.allocBatch(all, CAPACITY, 60);
    assertThrows(MempoolExhaustedException.class, () -> pool.alloc(60));
    assertCounts(CAPACITY, 0);
    all.freeAll();
    assertWhole();
  }

  @Test
  void allocBatchWithBadArgumentsChangesNeitherPoolNorBatch() {
    final PacketBatch batch = new PacketBatch(8);
    pool.allocBatch(batch, 2, 60);
    final List<Integer> before = indices(batch);
    final IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
        () -> pool.allocBatch(batch, -1000, 60));
    assertEquals("mempool 'faults': allocBatch count -1000: must be at least 0", count.getMessage());
    final IndexOutOfBoundsException length = assertThrows(IndexOutOfBoundsException.class,
        () -> pool.allocBatch(batch, 4, 5000));
    assertEquals("packet length 5000 outside [0, 192] for mempool 'faults'", length.getMessage());
    // A zero count used to skip the length check; now every call checks it.
    assertThrows(IndexOutOfBoundsException.class, () -> pool.allocBatch(batch, 0, -1));
    final NullPointerException npe = assertThrows(NullPointerException.class, () -> pool.allocBatch(null, 1, 60));
    assertEquals("allocBatch: batch must not be null", npe.getMessage());
    assertEquals(before, indices(batch));
    assertCounts(2, 0);
    batch.freeAll();
    assertWhole();
  }

  @Test
  void freeOfAForeignPacketOrNullChangesNothingAndTheCallerKeepsIt() {
    final Mempool other = Mempool.create(arena, DmaSource.virtualMemory(), 256, 4, "other");
    final OwnedPacket foreign = other.alloc(60);
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.free(foreign));
    assertEquals("mempool 'faults' cannot free Packet[pool 'other' buffer #0, length=60]: it belongs"
        + " to another pool", e.getMessage());
    assertCounts(0, 0);
    assertEquals(1, other.ownedCount());
    foreign.putByte(0, (byte) 1);
    other.free(foreign);
    assertEquals(4, other.freeCount());
    final NullPointerException npe = assertThrows(NullPointerException.class, () -> pool.free(null));
    assertEquals("Mempool.free(null)", npe.getMessage());
    assertWhole();
  }

  @Test
  void doubleFreeThroughThePoolChangesNothing() {
    final OwnedPacket p = pool.alloc(60);
    pool.free(p);
    assertThrows(PacketOwnershipException.class, () -> pool.free(p));
    assertWhole();
  }
}
