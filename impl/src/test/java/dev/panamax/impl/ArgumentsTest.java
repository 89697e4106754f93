package dev.panamax.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.panamax.api.DeviceException;
import dev.panamax.api.DeviceOptions;
import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Argument checks of the public api as implemented here: each refusal is one line naming the
 * value and the limit, and happens before a device is opened or memory is allocated.
 */
class ArgumentsTest {
  private final Arena arena = Arena.ofConfined();
  private final DmaSource virtual = DmaSource.virtualMemory();

  @AfterEach
  void close() {
    arena.close();
  }

  private static String message(Class<? extends Throwable> type, Runnable call) {
    return assertThrows(type, call::run).getMessage();
  }

  @Test
  void mempoolSizesNameAndSourceAreCheckedBeforeAllocating() {
    assertEquals("mempool 'big': entry count 2147483647: must be between 1 and 1048576"
        + " (Mempool.MAX_ENTRY_COUNT)", message(IllegalArgumentException.class,
            () -> Mempool.create(arena, virtual, 2048, Integer.MAX_VALUE, "big")));
    assertEquals("mempool 'pool': entry count 0: must be between 1 and 1048576"
        + " (Mempool.MAX_ENTRY_COUNT)", message(IllegalArgumentException.class,
            () -> Mempool.create(arena, virtual, 2048, 0)));
    assertEquals("mempool 'odd': entry size 1000: must be a power of two between 256 and 65536",
        message(IllegalArgumentException.class, () -> Mempool.create(arena, virtual, 1000, 4, "odd")));
    assertEquals("mempool 'odd': entry size 131072: must be a power of two between 256 and 65536",
        message(IllegalArgumentException.class, () -> Mempool.create(arena, virtual, 131072, 4, "odd")));
    assertEquals("Mempool.create: name must not be null",
        message(NullPointerException.class, () -> Mempool.create(arena, virtual, 2048, 4, null)));
    assertEquals("Mempool.create: DMA source must not be null",
        message(NullPointerException.class, () -> Mempool.create(arena, null, 2048, 4, "p")));
    assertEquals("Mempool.create: arena must not be null",
        message(NullPointerException.class, () -> Mempool.create(null, virtual, 2048, 4, "p")));
    assertEquals("mempool name of 101 characters: must have 1 to 100", message(
        IllegalArgumentException.class, () -> Mempool.create(arena, virtual, 2048, 4, "n".repeat(101))));
    assertEquals("mempool name of 0 characters: must have 1 to 100",
        message(IllegalArgumentException.class, () -> Mempool.create(arena, virtual, 2048, 4, "")));
    // Nothing was allocated in the arena by the refused calls: a confined arena still opens a pool.
    assertEquals(4, Mempool.create(arena, virtual, 2048, 4, "n".repeat(100)).freeCount());
  }

  @Test
  void aMempoolInAClosedArenaIsRefusedNamingThePool() {
    final Arena closed = Arena.ofConfined();
    closed.close();
    assertEquals("mempool 'late': cannot allocate in this arena: Already closed",
        message(IllegalStateException.class, () -> Mempool.create(closed, virtual, 2048, 4, "late")));
  }

  @Test
  void openChecksItsArguments() {
    assertEquals("NetworkDevice.open: spec must not be null",
        message(NullPointerException.class, () -> NetworkDevice.open(null)));
    assertEquals("NetworkDevice.open: options must not be null",
        message(NullPointerException.class, () -> NetworkDevice.open("null:x", null)));
  }

  @Test
  void aHugeSpecIsCutInTheMessage() {
    final String spec = "null:" + "a".repeat(10_240);
    final DeviceException e = assertThrows(DeviceException.class, () -> NetworkDevice.open(spec));
    assertEquals("null:" + "a".repeat(75) + "…(10245 chars): parse device spec: malformed virtual"
        + " device name; expected a PCI address (0000:03:00.0 or 03:00.0), pair:NAME:0, pair:NAME:1"
        + " or null:NAME; NAME is 1 to 64 of A-Z a-z 0-9 _ . -", e.getMessage());
    final DeviceException pci = assertThrows(DeviceException.class,
        () -> NetworkDevice.open("0".repeat(10_000)));
    assertEquals(true, pci.getMessage().length() < 400, pci.getMessage());
  }

  @Test
  void virtualDeviceNamesHaveAtMost64Characters() {
    final String name = "n".repeat(64);
    try (NetworkDevice dev = NetworkDevice.open("null:" + name)) {
      assertEquals("null:" + name, dev.address());
    }
    assertThrows(DeviceException.class, () -> NetworkDevice.open("null:" + name + "n"));
    assertThrows(DeviceException.class, () -> NetworkDevice.open("pair:" + name + "n:0"));
  }

  @Test
  void queueCountsAboveWhatTheDriverDrivesAreRefusedBeforeOpening() {
    final DeviceOptions many = DeviceOptions.defaults().withQueues(1000, 1000);
    assertEquals("null:q: check options: rxQueues 1000: must be between 1 and 1 (the null driver"
        + " drives 1 receive queue)", message(DeviceException.class, () -> NetworkDevice.open("null:q", many)));
    assertEquals("null:q: check options: txQueues 2: must be between 1 and 1 (the null driver"
        + " drives 1 transmit queue)", message(DeviceException.class,
            () -> NetworkDevice.open("null:q", DeviceOptions.defaults().withQueues(1, 2))));
    // The refused pair end is neither held nor has it created the link with its ring size.
    assertEquals("pair:q:0: check options: rxQueues 2: must be between 1 and 1 (the pair driver"
        + " drives 1 receive queue)", message(DeviceException.class, () -> NetworkDevice.open(
            "pair:q:0", DeviceOptions.defaults().withQueues(2, 1).withRingSize(2))));
    try (Arena local = Arena.ofConfined();
        NetworkDevice a = NetworkDevice.open("pair:q:0");
        NetworkDevice b = NetworkDevice.open("pair:q:1")) {
      final Mempool pool = Mempool.create(local, virtual, 2048, 8, "q");
      final PacketBatch batch = new PacketBatch(8);
      pool.allocBatch(batch, 8, 60);
      assertEquals(8, a.txBatch(0, batch), "the ring has the default size, not 2");
      assertEquals(8, b.rxBatch(0, batch, 8));
      batch.freeAll();
    }
  }

  @Test
  void packetArrayCopiesCheckTheArrayRangeBeforeCopying() {
    final Mempool pool = Mempool.create(arena, virtual, 2048, 1, "copy");
    final OwnedPacket p = pool.alloc(8);
    p.putLong(0, 0x0102030405060708L);
    final byte[] small = new byte[4];
    assertEquals("copyTo() of 4 bytes at array index 2 outside byte[4]",
        message(IndexOutOfBoundsException.class, () -> p.copyTo(0, small, 2, 4)));
    assertArrayEquals(new byte[4], small);
    assertEquals("copyFrom() of 4 bytes at array index -1 outside byte[4]",
        message(IndexOutOfBoundsException.class, () -> p.copyFrom(0, small, -1, 4)));
    assertEquals(0x0102030405060708L, p.getLong(0));
    p.free();
  }
}
