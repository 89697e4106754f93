package dev.panamax.impl.mempool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.MempoolExhaustedException;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;
import dev.panamax.api.PacketOwnershipException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MempoolTest {
  private final Arena arena = Arena.ofConfined();

  @AfterEach
  void close() {
    arena.close();
  }

  private Mempool pool(int count) {
    return Mempool.create(arena, DmaSource.virtualMemory(), 2048, count, "test");
  }

  private static void assertAccounting(Mempool p) {
    assertEquals(p.capacity(), p.freeCount() + p.ownedCount() + p.inFlightCount(), p.toString());
  }

  @Test
  void exhaustionThrowsWithCountersAndTryAllocReturnsNull() {
    final Mempool p = pool(3);
    final List<OwnedPacket> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(p.alloc(60));
    }
    assertEquals(0, p.freeCount());
    assertEquals(3, p.ownedCount());
    final MempoolExhaustedException e = assertThrows(MempoolExhaustedException.class, () -> p.alloc(60));
    assertTrue(e.getMessage().contains("'test'") && e.getMessage().contains("3 owned"), e.getMessage());
    assertNull(p.tryAlloc(60));
    held.forEach(OwnedPacket::free);
    assertEquals(3, p.freeCount());
    assertAccounting(p);
  }

  @Test
  void allocBatchStopsAtPoolOrBatchLimit() {
    final Mempool p = pool(10);
    final PacketBatch batch = new PacketBatch(4);
    assertEquals(4, p.allocBatch(batch, 100, 64));
    assertEquals(0, p.allocBatch(batch, 1, 64));
    final PacketBatch big = new PacketBatch(32);
    assertEquals(6, p.allocBatch(big, 32, 64));
    assertEquals(10, p.ownedCount());
    assertEquals(64, big.get(5).length());
    assertEquals(4, batch.freeAll());
    assertEquals(6, big.freeAll());
    assertEquals(10, p.freeCount());
  }

  @Test
  void doubleFreeIsDetectedAndPoolStaysConsistent() {
    final Mempool p = pool(4);
    final OwnedPacket a = p.alloc(60);
    a.free();
    final PacketOwnershipException e = assertThrows(PacketOwnershipException.class, a::free);
    assertTrue(e.getMessage().contains("pool 'test' buffer #0"), e.getMessage());
    assertTrue(e.getMessage().contains("consumed by free()"), e.getMessage());
    assertThrows(PacketOwnershipException.class, () -> p.free(a));
    assertEquals(4, p.freeCount(), "a double free must not push the buffer twice");
    // The next two allocations must be distinct buffers.
    final OwnedPacket x = p.alloc(60);
    final OwnedPacket y = p.alloc(60);
    assertNotSame(x, y);
    x.free();
    y.free();
  }

  @Test
  void useAfterFreeThrowsForEveryAccessor() {
    final Mempool p = pool(2);
    final OwnedPacket a = p.alloc(100);
    a.free();
    assertThrows(PacketOwnershipException.class, a::length);
    assertThrows(PacketOwnershipException.class, () -> a.setLength(10));
    assertThrows(PacketOwnershipException.class, () -> a.getByte(0));
    assertThrows(PacketOwnershipException.class, () -> a.putInt(0, 1));
    assertThrows(PacketOwnershipException.class, () -> a.getLong(0));
    assertThrows(PacketOwnershipException.class, () -> a.copyTo(0, new byte[4], 0, 4));
    assertThrows(PacketOwnershipException.class, () -> a.fill(0, 4, (byte) 1));
  }

  @Test
  void freeingAPacketOfAnotherPoolIsRefused() {
    final Mempool p = pool(2);
    final Mempool q = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 2, "other");
    final OwnedPacket a = q.alloc(60);
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.free(a));
    assertTrue(e.getMessage().contains("another pool"), e.getMessage());
    a.free();
    assertEquals(2, q.freeCount());
  }

  @Test
  void accessesAreBoundsCheckedAgainstLength() {
    final Mempool p = pool(1);
    final OwnedPacket a = p.alloc(10);
    a.putInt(6, 0x01020304);
    assertEquals(0x01020304, a.getInt(6));
    assertThrows(IndexOutOfBoundsException.class, () -> a.getInt(7));
    assertThrows(IndexOutOfBoundsException.class, () -> a.putByte(10, (byte) 0));
    assertThrows(IndexOutOfBoundsException.class, () -> a.getByte(-1));
    assertThrows(IndexOutOfBoundsException.class, () -> a.copyFrom(8, new byte[3], 0, 3));
    assertThrows(IndexOutOfBoundsException.class, () -> a.setLength(a.capacity() + 1));
    assertEquals(2048 - MempoolImpl.HEADROOM, a.capacity());
    a.setLength(a.capacity());
    a.putLong(a.capacity() - 8, -1L);
    assertEquals(-1L, a.getLong(a.capacity() - 8));
    a.free();
  }

  @Test
  void valuesAreBigEndianAndCopiesWork() {
    final Mempool p = pool(1);
    final OwnedPacket a = p.alloc(32);
    a.putShort(0, (short) 0x0800);
    assertEquals(0x08, a.getByte(0));
    assertEquals(0x0800, a.getUnsignedShort(0));
    a.putLong(8, 0x0102030405060708L);
    final byte[] out = new byte[8];
    a.copyTo(8, out, 0, 8);
    assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, out);
    a.copyFrom(16, new byte[] {(byte) 0xff, 0x10}, 0, 2);
    assertEquals(255, a.getUnsignedByte(16));
    assertEquals(0xff10, a.getUnsignedShort(16));
    final ByteBuffer direct = ByteBuffer.allocateDirect(4);
    a.copyTo(8, direct);
    assertEquals(4, direct.position());
    assertEquals(0x01020304, direct.flip().getInt());
    final ByteBuffer heap = ByteBuffer.wrap(new byte[] {9, 9, 9});
    a.copyFrom(29, heap);
    assertEquals(3, heap.position());
    assertEquals(0x09, a.getByte(31));
    a.fill(0, 4, (byte) 0x7f);
    assertEquals(0x7f7f7f7f, a.getInt(0));
    a.free();
  }

  @Test
  void deviceTransitionsKeepAccountingAndGuardStaleHandles() {
    final Mempool p = pool(4);
    final OwnedPacket a = p.alloc(60);
    final PacketBuffer sent = MempoolImpl.handOver(a, "txBatch on test-dev");
    assertEquals(1, p.inFlightCount());
    assertEquals(0, p.ownedCount());
    final PacketOwnershipException e = assertThrows(PacketOwnershipException.class, () -> a.getByte(0));
    assertTrue(e.getMessage().contains("txBatch on test-dev"), e.getMessage());
    assertTrue(e.getMessage().contains("held by a device"), e.getMessage());
    assertThrows(PacketOwnershipException.class, a::free);
    assertThrows(PacketOwnershipException.class, () -> MempoolImpl.handOver(a, "again"));
    ((MempoolImpl) p).completeFromDevice(sent);
    assertEquals(4, p.freeCount());
    final PacketBuffer posted = ((MempoolImpl) p).allocForDevice("rx ring");
    assertEquals(1, p.inFlightCount());
    final OwnedPacket received = MempoolImpl.receive(posted, 42);
    assertEquals(42, received.length());
    assertEquals(1, p.ownedCount());
    received.free();
    assertAccounting(p);
  }

  @Test
  void accountingHoldsUnderRandomOperations() {
    final MempoolImpl p = (MempoolImpl) pool(64);
    final Random random = new Random(1234);
    final ArrayDeque<OwnedPacket> owned = new ArrayDeque<>();
    final ArrayDeque<PacketBuffer> inFlight = new ArrayDeque<>();
    for (int step = 0; step < 100_000; step++) {
      switch (random.nextInt(5)) {
        case 0 -> {
          final OwnedPacket a = p.tryAlloc(60);
          if (a != null) {
            owned.add(a);
          }
        }
        case 1 -> {
          if (!owned.isEmpty()) {
            owned.poll().free();
          }
        }
        case 2 -> {
          if (!owned.isEmpty()) {
            inFlight.add(MempoolImpl.handOver(owned.poll(), "tx"));
          }
        }
        case 3 -> {
          if (!inFlight.isEmpty()) {
            p.completeFromDevice(inFlight.poll());
          }
        }
        default -> {
          if (!inFlight.isEmpty()) {
            owned.add(MempoolImpl.receive(inFlight.poll(), 60));
          }
        }
      }
      assertEquals(owned.size(), p.ownedCount());
      assertEquals(inFlight.size(), p.inFlightCount());
      assertEquals(64, p.freeCount() + p.ownedCount() + p.inFlightCount());
    }
  }

  @Test
  void rejectsBadGeometryAndLengths() {
    assertThrows(IllegalArgumentException.class,
        () -> Mempool.create(arena, DmaSource.virtualMemory(), 1000, 4));
    assertThrows(IllegalArgumentException.class,
        () -> Mempool.create(arena, DmaSource.virtualMemory(), 2048, 0));
    final Mempool p = pool(1);
    assertThrows(IndexOutOfBoundsException.class, () -> p.alloc(2048));
    assertEquals(1, p.freeCount());
  }
}
