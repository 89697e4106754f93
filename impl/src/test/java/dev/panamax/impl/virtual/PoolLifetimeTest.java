package dev.panamax.impl.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;
import dev.panamax.api.PanamaxException;
import dev.panamax.impl.device.BaseDevice;
import dev.panamax.impl.device.OpenDevices;
import java.lang.foreign.Arena;
import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A mempool's arena and the devices that hold its packets, closed in every order: once the
 * arena is closed the pool hands out nothing and devices take none of its packets, each refusal
 * naming the pool; packets a device holds stay intact until the device gives them back; every
 * buffer comes back once; and the memory is released once nothing references it.
 */
class PoolLifetimeTest {
  private static final int CAPACITY = 16;
  private static final int LENGTH = 200;

  private static Mempool pool(Arena arena, String name) {
    return Mempool.create(arena, DmaSource.virtualMemory(), 2048, CAPACITY, name);
  }

  /** Fills packet {@code k} with bytes derived from k and its offset. */
  private static void stamp(OwnedPacket packet, int k) {
    for (int i = 0; i < packet.length(); i++) {
      packet.putByte(i, (byte) (k * 31 + i));
    }
  }

  private static void assertStamped(OwnedPacket packet, int k) {
    assertEquals(LENGTH, packet.length());
    for (int i = 0; i < LENGTH; i++) {
      assertEquals((byte) (k * 31 + i), packet.getByte(i), "packet " + k + " byte " + i);
    }
  }

  /** Allocates {@code n} stamped packets into a new batch. */
  private static PacketBatch stamped(Mempool pool, int n) {
    final PacketBatch batch = new PacketBatch(CAPACITY);
    assertEquals(n, pool.allocBatch(batch, n, LENGTH));
    for (int k = 0; k < n; k++) {
      stamp(batch.get(k), k);
    }
    return batch;
  }

  private static void assertCounts(Mempool pool, int owned, int inFlight) {
    assertEquals(owned, pool.ownedCount(), pool.toString());
    assertEquals(inFlight, pool.inFlightCount(), pool.toString());
    assertEquals(CAPACITY - owned - inFlight, pool.freeCount(), pool.toString());
  }

  /** The refusal of a closed pool: a PanamaxException naming the pool and the arena. */
  private static void assertRefused(String pool, String operation, Executable call) {
    final PanamaxException e = assertThrows(PanamaxException.class, call);
    assertEquals("mempool '" + pool + "': " + operation + " refused: the arena the pool was"
        + " created in is closed, so the pool hands out no buffer and devices take none of its"
        + " packets (packets still owned can be read and freed)", e.getMessage());
  }

  /** Every way of taking a buffer out of the pool is refused. */
  private static void assertNoAllocation(Mempool pool) {
    final String name = pool.name();
    final int free = pool.freeCount();
    assertRefused(name, "alloc", () -> pool.alloc(60));
    assertRefused(name, "alloc", () -> pool.tryAlloc(60));
    final PacketBatch batch = new PacketBatch(4);
    assertRefused(name, "allocBatch", () -> pool.allocBatch(batch, 4, 60));
    assertTrue(batch.isEmpty());
    assertEquals(free, pool.freeCount(), "a refused allocation takes nothing");
  }

  @Test
  void arenaClosedFirstRefusesAllocationAndTransmitButDeliversWhatIsInFlight() {
    try (NetworkDevice a = NetworkDevice.open("pair:life-arena:0");
        NetworkDevice b = NetworkDevice.open("pair:life-arena:1")) {
      final Arena arena = Arena.ofConfined();
      final Mempool pool = pool(arena, "arena-first");
      final PacketBatch sent = stamped(pool, 5);
      assertEquals(5, a.txBatch(0, sent));
      final PacketBatch kept = stamped(pool, 2);
      assertCounts(pool, 2, 5);

      arena.close();
      System.gc(); // memory that belonged to the arena would be gone now, not only unusable
      assertNoAllocation(pool);

      // Packets the application still owns: intact, writable, but no device takes them.
      assertStamped(kept.get(1), 1);
      kept.get(0).putByte(0, (byte) 7);
      assertEquals(7, kept.get(0).getByte(0));
      assertRefused("arena-first", "txBatch on pair:life-arena:0", () -> a.txBatch(0, kept));
      assertEquals(2, kept.size(), "the refused packet stays with the caller");
      assertEquals(5, a.stats().txPackets());

      // Packets in flight arrive intact after the arena closed.
      final PacketBatch received = new PacketBatch(CAPACITY);
      assertEquals(5, b.rxBatch(0, received, CAPACITY));
      for (int k = 0; k < 5; k++) {
        assertStamped(received.get(k), k);
      }
      assertCounts(pool, 7, 0);
      // ... and cannot be sent on (forwarded) either.
      assertRefused("arena-first", "txBatch on pair:life-arena:1", () -> b.txBatch(0, received));
      assertEquals(5, received.size());

      assertEquals(5, received.freeAll());
      assertEquals(2, kept.freeAll());
      assertCounts(pool, 0, 0);
      assertNoAllocation(pool);
    }
  }

  @Test
  void arenaClosedFirstThenDeviceCloseGivesTheBuffersBack() {
    final Arena arena = Arena.ofConfined();
    final Mempool pool = pool(arena, "arena-then-device");
    final NetworkDevice a = NetworkDevice.open("pair:life-atd:0");
    final NetworkDevice b = NetworkDevice.open("pair:life-atd:1");
    assertEquals(6, a.txBatch(0, stamped(pool, 6)));
    assertEquals(3, b.txBatch(0, stamped(pool, 3)));
    assertCounts(pool, 0, 9);
    arena.close();
    assertNoAllocation(pool);
    a.close();
    assertCounts(pool, 0, 9); // the other end is open: the link still holds them
    b.close();
    assertCounts(pool, 0, 0);
    assertNoAllocation(pool);
  }

  @Test
  void deviceClosedFirstLeavesThePoolUsableUntilItsArenaCloses() {
    final Arena arena = Arena.ofConfined();
    final Mempool pool = pool(arena, "device-first");
    final NetworkDevice a = NetworkDevice.open("pair:life-dev:0");
    final NetworkDevice b = NetworkDevice.open("pair:life-dev:1");
    final NetworkDevice sink = NetworkDevice.open("null:life-dev");
    assertEquals(4, a.txBatch(0, stamped(pool, 4)));
    assertEquals(3, sink.txBatch(0, stamped(pool, 3)));
    assertCounts(pool, 0, 4);
    b.close();
    a.close();
    sink.close();
    assertCounts(pool, 0, 0);
    final OwnedPacket p = pool.alloc(60);
    p.free();
    arena.close();
    assertNoAllocation(pool);
    assertCounts(pool, 0, 0);
  }

  @Test
  void nullDeviceTakesNoPacketOfAClosedPool() {
    try (NetworkDevice sink = NetworkDevice.open("null:life-null")) {
      final Arena arena = Arena.ofConfined();
      final Mempool pool = pool(arena, "null-sink");
      final PacketBatch batch = stamped(pool, 3);
      assertEquals(1, sink.txBatch(0, stamped(pool, 1)));
      arena.close();
      assertRefused("null-sink", "txBatch on null:life-null", () -> sink.txBatch(0, batch));
      assertEquals(3, batch.size());
      assertEquals(1, sink.stats().txPackets());
      assertEquals(3, batch.freeAll());
      assertCounts(pool, 0, 0);
    }
  }

  @Test
  void tryWithResourcesDevicesInsideTheArena() {
    final Mempool pool;
    final PacketBatch kept;
    try (Arena arena = Arena.ofConfined();
        NetworkDevice a = NetworkDevice.open("pair:life-twr1:0");
        NetworkDevice b = NetworkDevice.open("pair:life-twr1:1")) {
      pool = pool(arena, "twr-devices-inside");
      assertEquals(4, a.txBatch(0, stamped(pool, 4)));
      assertEquals(2, b.txBatch(0, stamped(pool, 2)));
      kept = stamped(pool, 1);
      assertCounts(pool, 1, 6);
    }
    // Closed in reverse order: b, a (their buffers come back), then the arena.
    assertCounts(pool, 1, 0);
    assertStamped(kept.get(0), 0);
    assertNoAllocation(pool);
    assertEquals(1, kept.freeAll());
    assertCounts(pool, 0, 0);
  }

  @Test
  void tryWithResourcesArenaInsideTheDevices() {
    final Mempool pool;
    try (NetworkDevice a = NetworkDevice.open("pair:life-twr2:0");
        NetworkDevice b = NetworkDevice.open("pair:life-twr2:1")) {
      try (Arena arena = Arena.ofConfined()) {
        pool = pool(arena, "twr-arena-inside");
        assertEquals(4, a.txBatch(0, stamped(pool, 4)));
        assertEquals(2, b.txBatch(0, stamped(pool, 2)));
      }
      // The arena is closed; the devices are open and hold six packets, which arrive intact.
      assertCounts(pool, 0, 6);
      System.gc();
      final PacketBatch received = new PacketBatch(CAPACITY);
      assertEquals(4, b.rxBatch(0, received, CAPACITY));
      assertEquals(2, a.rxBatch(0, received, CAPACITY));
      for (int k = 0; k < 6; k++) {
        assertStamped(received.get(k), k < 4 ? k : k - 4);
      }
      assertEquals(6, received.freeAll());
      assertEquals(6, a.txBatch(0, stamped(fresh(), 6)));
      assertCounts(pool, 0, 0);
    }
    assertNoAllocation(pool);
  }

  @Test
  void tryWithResourcesArenaAndDevicesInOneStatementArenaLast() {
    final Mempool pool;
    try (NetworkDevice a = NetworkDevice.open("pair:life-twr3:0");
        NetworkDevice b = NetworkDevice.open("pair:life-twr3:1");
        Arena arena = Arena.ofConfined()) {
      pool = pool(arena, "twr-arena-last");
      assertEquals(5, a.txBatch(0, stamped(pool, 5)));
      assertCounts(pool, 0, 5);
    }
    // Closed in reverse order: the arena first, then b and a, which give the five back.
    assertCounts(pool, 0, 0);
    assertNoAllocation(pool);
  }

  /** A pool of its own in the global arena, for packets a test needs after closing others. */
  private static Mempool fresh() {
    return pool(Arena.global(), "global");
  }

  @Test
  void aDeviceHoldsThePoolsMemoryUntilItIsClosedThenItIsReleased() throws Exception {
    final References refs = openSendAndDrop();
    collectGarbage(5);
    final WeakReference<Mempool> poolRef = receiveAndClose(refs);
    for (int i = 0; i < 100 && (poolRef.get() != null || refs.a.get() != null); i++) {
      collectGarbage(1);
    }
    assertNull(poolRef.get(), "a closed device and a dropped pool keep nothing alive");
    assertNull(refs.a.get(), "a closed device is no longer held");
    assertNull(refs.b.get(), "a closed device is no longer held");
  }

  /** Weak references to what {@link #openSendAndDrop} created. */
  private record References(WeakReference<Mempool> pool, WeakReference<NetworkDevice> a,
      WeakReference<NetworkDevice> b) {}

  /**
   * Opens a pair, sends three packets of a pool into it, closes the pool's arena and drops every
   * strong reference without closing the devices (they are in this frame only).
   */
  private static References openSendAndDrop() {
    final Arena arena = Arena.ofConfined();
    final Mempool pool = pool(arena, "reachability");
    final NetworkDevice a = NetworkDevice.open("pair:life-reach:0");
    final NetworkDevice b = NetworkDevice.open("pair:life-reach:1");
    assertEquals(3, a.txBatch(0, stamped(pool, 3)));
    arena.close();
    return new References(new WeakReference<>(pool), new WeakReference<>(a), new WeakReference<>(b));
  }

  /**
   * Checks that the dropped devices and the pool survived collection, receives the packets
   * intact, closes both devices and drops every strong reference again.
   */
  private static WeakReference<Mempool> receiveAndClose(References refs) {
    final NetworkDevice a = refs.a.get();
    final NetworkDevice b = refs.b.get();
    assertNotNull(a, "an open device is held until it is closed");
    assertNotNull(b, "an open device is held until it is closed");
    assertTrue(OpenDevices.isHeld((BaseDevice) a));
    final Mempool pool = refs.pool.get();
    assertNotNull(pool, "the buffers on the link keep their pool, and its memory, alive");
    assertCounts(pool, 0, 3);
    final PacketBatch received = new PacketBatch(CAPACITY);
    assertEquals(3, b.rxBatch(0, received, CAPACITY));
    for (int k = 0; k < 3; k++) {
      assertStamped(received.get(k), k);
    }
    assertEquals(3, received.freeAll());
    a.close();
    b.close();
    assertFalse(OpenDevices.isHeld((BaseDevice) a));
    assertFalse(OpenDevices.isHeld((BaseDevice) b));
    return refs.pool;
  }

  private static void collectGarbage(int rounds) throws InterruptedException {
    for (int i = 0; i < rounds; i++) {
      System.gc();
      Thread.sleep(10);
    }
  }
}
