package dev.panamax.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The api's own argument checks: each refusal is one line naming the value and the limit, and
 * happens before anything is allocated or changed.
 */
class ArgumentLimitsTest {
  private static final String LONG = "x".repeat(10_000);

  @Test
  void batchCapacityIsBoundedByTheLargestPool() {
    final IllegalArgumentException max = assertThrows(IllegalArgumentException.class,
        () -> new PacketBatch(Integer.MAX_VALUE));
    assertEquals("PacketBatch capacity 2147483647: must be between 1 and 1048576"
        + " (Mempool.MAX_ENTRY_COUNT)", max.getMessage());
    assertEquals("PacketBatch capacity 0: must be between 1 and 1048576 (Mempool.MAX_ENTRY_COUNT)",
        assertThrows(IllegalArgumentException.class, () -> new PacketBatch(0)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new PacketBatch(PacketBatch.MAX_CAPACITY + 1));
    assertEquals(PacketBatch.MAX_CAPACITY, new PacketBatch(PacketBatch.MAX_CAPACITY).capacity());
  }

  @Test
  void batchCallbacksMustNotBeNull() {
    final PacketBatch batch = new PacketBatch(1);
    assertEquals("PacketBatch.forEach(null)",
        assertThrows(NullPointerException.class, () -> batch.forEach(null)).getMessage());
    assertEquals("PacketBatch.freeIf(null)",
        assertThrows(NullPointerException.class, () -> batch.freeIf(null)).getMessage());
  }

  @Test
  void deviceOptionsNameTheFieldTheValueAndTheRange() {
    final DeviceOptions d = DeviceOptions.defaults();
    assertEquals("rxQueues 0: must be at least 1",
        assertThrows(IllegalArgumentException.class, () -> d.withQueues(0, 1)).getMessage());
    assertEquals("txQueues -3: must be at least 1",
        assertThrows(IllegalArgumentException.class, () -> d.withQueues(1, -3)).getMessage());
    assertEquals("ringSize 100: must be a power of two between 2 and 32768",
        assertThrows(IllegalArgumentException.class, () -> d.withRingSize(100)).getMessage());
    assertEquals("ringSize 65536: must be a power of two between 2 and 32768",
        assertThrows(IllegalArgumentException.class, () -> d.withRingSize(65536)).getMessage());
    assertEquals("bufferCount 2147483647: must be between 1 and 1048576 (Mempool.MAX_ENTRY_COUNT)",
        assertThrows(IllegalArgumentException.class,
            () -> d.withBufferCount(Integer.MAX_VALUE)).getMessage());
    assertEquals("bufferCount 0: must be between 1 and 1048576 (Mempool.MAX_ENTRY_COUNT)",
        assertThrows(IllegalArgumentException.class, () -> d.withBufferCount(0)).getMessage());
    assertEquals("DeviceOptions: dmaSource must not be null",
        assertThrows(NullPointerException.class, () -> d.withDmaSource(null)).getMessage());
    assertEquals(Mempool.MAX_ENTRY_COUNT, d.withBufferCount(Mempool.MAX_ENTRY_COUNT).bufferCount());
  }

  @Test
  void parsersCutLongInputAndRefuseNull() {
    final IllegalArgumentException mac =
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse(LONG));
    assertEquals("invalid MAC address '" + "x".repeat(80) + "…(10000 chars)': expected six"
        + " two-digit hex octets separated by ':' or '-', e.g. 52:54:00:12:34:56", mac.getMessage());
    final IllegalArgumentException pci =
        assertThrows(IllegalArgumentException.class, () -> PciAddress.parse(LONG));
    assertEquals("invalid PCI address '" + "x".repeat(80) + "…(10000 chars)': expected"
        + " DDDD:BB:DD.F or BB:DD.F in hex, e.g. 0000:03:00.0 or 03:00.0", pci.getMessage());
    assertEquals("MacAddress.parse(null)",
        assertThrows(NullPointerException.class, () -> MacAddress.parse(null)).getMessage());
    assertEquals("PciAddress.parse(null)",
        assertThrows(NullPointerException.class, () -> PciAddress.parse(null)).getMessage());
    assertEquals("MacAddress.of(null)",
        assertThrows(NullPointerException.class, () -> MacAddress.of(null)).getMessage());
  }

  @Test
  void statsDeltaNeedsTwoSnapshotsOfOneDevice() {
    final DeviceStats a = new DeviceStats("null:a", 5, 300, 0, 0, 0, 0, 0, 0, 2_000);
    final DeviceStats b = new DeviceStats("null:b", 1, 60, 0, 0, 0, 0, 0, 0, 1_000);
    assertEquals("DeviceStats.delta: snapshot of null:b subtracted from one of null:a: give two"
        + " snapshots of the same device",
        assertThrows(IllegalArgumentException.class, () -> a.delta(b)).getMessage());
    final DeviceStats earlier = new DeviceStats("null:a", 1, 60, 0, 0, 0, 0, 0, 0, 1_000);
    assertEquals(4, a.delta(earlier).rxPackets());
  }

  @Test
  void echoedInputStaysOnOneShortLine() {
    assertEquals("null:a", Texts.echo("null:a"));
    assertEquals("a".repeat(80), Texts.echo("a".repeat(80)));
    assertEquals("a".repeat(80) + "…(81 chars)", Texts.echo("a".repeat(81)));
    assertEquals("null:a\\u000aat x\\u0009y", Texts.echo("null:a\nat x\ty"));
    final DeviceException e = new DeviceException("null:" + LONG, "parse device spec", "bad");
    assertEquals("null:" + "x".repeat(75) + "…(10005 chars): parse device spec: bad", e.getMessage());
    assertEquals("null:" + LONG, e.device(), "the accessor keeps the whole spec");
    assertTrue(!e.getMessage().contains("\n"));
  }
}
