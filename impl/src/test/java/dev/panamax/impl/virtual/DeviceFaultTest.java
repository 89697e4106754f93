package dev.panamax.impl.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.api.DeviceOptions;
import dev.panamax.api.DeviceStats;
import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;
import dev.panamax.api.PacketOwnershipException;
import java.lang.foreign.Arena;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Faults injected into the in-memory devices' transmit and receive: afterwards the batch holds
 * exactly the packets that were not sent, in order; the device's counters count exactly what
 * moved; the pool's counters match; and every buffer comes back once.
 */
class DeviceFaultTest {
  private static final int N = 6;
  private static final int CAPACITY = 32;

  private final Arena arena = Arena.ofConfined();
  private final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, CAPACITY, "dev-faults");

  @AfterEach
  void close() {
    arena.close();
  }

  private PacketBatch filled() {
    final PacketBatch batch = new PacketBatch(8);
    assertEquals(N, pool.allocBatch(batch, N, 100));
    return batch;
  }

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

  private void assertWhole() {
    assertCounts(0, 0);
    final PacketBatch all = new PacketBatch(CAPACITY);
    assertEquals(CAPACITY, pool.allocBatch(all, CAPACITY, 60));
    assertEquals(CAPACITY, indices(all).stream().distinct().count());
    all.freeAll();
  }

  /** An {@code OwnedPacket} that is not a Panamax buffer: every method but toString throws. */
  private static OwnedPacket foreignPacket() {
    return (OwnedPacket) Proxy.newProxyInstance(OwnedPacket.class.getClassLoader(),
        new Class<?>[] {OwnedPacket.class}, (proxy, method, args) -> {
          if (method.getName().equals("toString")) {
            return "ForeignPacket";
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }

  @Test
  void pairTransmitStoppedByAFreedPacketAnywhereSendsAndCountsThoseBeforeIt() {
    for (int m = 0; m < N; m++) {
      try (NetworkDevice a = NetworkDevice.open("pair:tx-fault:0");
          NetworkDevice b = NetworkDevice.open("pair:tx-fault:1")) {
        final PacketBatch batch = filled();
        final List<Integer> before = indices(batch);
        batch.get(m).free();
        final PacketOwnershipException e =
            assertThrows(PacketOwnershipException.class, () -> a.txBatch(0, batch));
        assertTrue(e.getMessage().startsWith("txBatch on pair:tx-fault:0 on a packet the application"
            + " no longer owns: pool 'dev-faults' buffer #" + before.get(m)), e.getMessage());
        assertEquals(m, a.stats().txPackets(), "sent before the fault and counted, m=" + m);
        assertEquals(100L * m, a.stats().txBytes());
        assertEquals(before.subList(m, N), indices(batch), "the refused packet and the rest stay");
        assertCounts(N - m - 1, m);
        // The receiving end gets exactly the packets before the fault, in order.
        final PacketBatch received = new PacketBatch(8);
        assertEquals(m, b.rxBatch(0, received, 8));
        assertEquals(before.subList(0, m), indices(received));
        received.freeAll();
        // Recovery: freeAll frees the live packets and reports the dead one.
        assertThrows(PacketOwnershipException.class, batch::freeAll);
        assertTrue(batch.isEmpty());
      }
      assertWhole();
    }
  }

  @Test
  void nullTransmitStoppedByAForeignPacketCountsThoseBeforeItAndKeepsIt() {
    try (NetworkDevice sink = NetworkDevice.open("null:tx-fault")) {
      final PacketBatch batch = filled();
      final OwnedPacket foreign = foreignPacket();
      batch.add(foreign);
      batch.add(pool.alloc(100));
      final IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> sink.txBatch(0, batch));
      assertTrue(e.getMessage().startsWith("txBatch on null:tx-fault: "), e.getMessage());
      assertEquals(N, sink.stats().txPackets());
      assertEquals(100L * N, sink.stats().txBytes());
      assertEquals(2, batch.size());
      assertTrue(batch.take() == foreign, "the refused packet stays at the front");
      assertEquals(1, sink.txBatch(0, batch));
      assertEquals(N + 1, sink.stats().txPackets());
    }
    assertWhole();
  }

  @Test
  void transmitOnAClosedDeviceChangesNothing() {
    final NetworkDevice a = NetworkDevice.open("pair:closed:0");
    a.close();
    final PacketBatch batch = filled();
    final List<Integer> before = indices(batch);
    final IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.txBatch(0, batch));
    assertEquals("device pair:closed:0 is closed", e.getMessage());
    assertThrows(IllegalStateException.class, () -> a.rxBatch(0, batch, 1));
    assertEquals(before, indices(batch));
    assertCounts(N, 0);
    batch.freeAll();
    assertWhole();
  }

  @Test
  void receiveWithANegativeMaxIsRefusedAndCountsNothing() {
    try (NetworkDevice source = NetworkDevice.open("null:rx-neg");
        NetworkDevice a = NetworkDevice.open("pair:rx-neg:0");
        NetworkDevice b = NetworkDevice.open("pair:rx-neg:1")) {
      final PacketBatch batch = filled();
      final List<Integer> before = indices(batch);
      final IllegalArgumentException nul = assertThrows(IllegalArgumentException.class,
          () -> source.rxBatch(0, batch, -1000));
      assertEquals("device null:rx-neg: rxBatch max -1000: must be at least 0", nul.getMessage());
      b.txBatch(0, filled());
      final IllegalArgumentException pair = assertThrows(IllegalArgumentException.class,
          () -> a.rxBatch(0, batch, -1));
      assertEquals("device pair:rx-neg:0: rxBatch max -1: must be at least 0", pair.getMessage());
      final DeviceStats s = source.stats();
      assertEquals(0, s.rxPackets());
      assertEquals(0, s.rxBytes());
      assertEquals(0, a.stats().rxPackets());
      assertEquals(before, indices(batch));
      final NullPointerException npe =
          assertThrows(NullPointerException.class, () -> source.rxBatch(0, null, 1));
      assertEquals("rxBatch: batch must not be null", npe.getMessage());
      assertThrows(NullPointerException.class, () -> source.txBatch(0, null));
      // Zero is a valid max: nothing moves.
      assertEquals(0, a.rxBatch(0, batch, 0));
      assertEquals(2, a.rxBatch(0, batch, 100), "as many as fit after the packets already held");
      assertEquals(before, indices(batch).subList(0, N));
      batch.freeAll();
    }
    assertWhole();
  }

  @Test
  void receiveAppendsToWhatTheBatchHoldsAndNeverOverfillsIt() {
    try (NetworkDevice a = NetworkDevice.open("pair:rx-room:0", DeviceOptions.defaults());
        NetworkDevice b = NetworkDevice.open("pair:rx-room:1", DeviceOptions.defaults())) {
      final PacketBatch out = filled();
      assertEquals(N, b.txBatch(0, out));
      final PacketBatch batch = new PacketBatch(8);
      pool.allocBatch(batch, 5, 60);
      assertEquals(3, a.rxBatch(0, batch, Integer.MAX_VALUE));
      assertTrue(batch.isFull());
      assertEquals(3, ((PairDevice) a).pendingRx());
      assertEquals(3, a.stats().rxPackets());
      batch.freeAll();
    }
    assertWhole();
  }
}
