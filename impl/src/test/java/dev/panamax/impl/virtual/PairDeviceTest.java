package dev.panamax.impl.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.api.DeviceException;
import dev.panamax.api.DeviceOptions;
import dev.panamax.api.DeviceStats;
import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;
import dev.panamax.api.PacketOwnershipException;
import java.lang.foreign.Arena;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PairDeviceTest {
  private final Arena arena = Arena.ofConfined();
  private final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 1024, "pair-test");

  @AfterEach
  void close() {
    arena.close();
  }

  /** Writes seq (8 bytes) then random payload, and a CRC32 of everything after it at the end. */
  private static void writeFrame(OwnedPacket p, long seq, Random random) {
    p.putLong(0, seq);
    final byte[] payload = new byte[p.length() - 12];
    random.nextBytes(payload);
    p.copyFrom(8, payload, 0, payload.length);
    final byte[] all = new byte[p.length() - 4];
    p.copyTo(0, all, 0, all.length);
    final CRC32 crc = new CRC32();
    crc.update(all);
    p.putInt(p.length() - 4, (int) crc.getValue());
  }

  private static boolean checksumOk(OwnedPacket p) {
    final byte[] all = new byte[p.length() - 4];
    p.copyTo(0, all, 0, all.length);
    final CRC32 crc = new CRC32();
    crc.update(all);
    return p.getInt(p.length() - 4) == (int) crc.getValue();
  }

  @Test
  void everyPacketArrivesIntactAndInOrder() {
    try (NetworkDevice a = NetworkDevice.open("pair:integrity:0");
        NetworkDevice b = NetworkDevice.open("pair:integrity:1")) {
      final Random random = new Random(7);
      final PacketBatch tx = new PacketBatch(32);
      final PacketBatch rx = new PacketBatch(64);
      long nextSeq = 0;
      long expected = 0;
      long bytes = 0;
      final long total = 100_000;
      while (expected < total) {
        while (nextSeq < total && !tx.isFull()) {
          final OwnedPacket p = pool.alloc(60 + random.nextInt(1400));
          writeFrame(p, nextSeq++, random);
          bytes += p.length();
          tx.add(p);
        }
        a.txBatch(0, tx);
        b.rxBatch(0, rx, rx.capacity());
        while (!rx.isEmpty()) {
          final OwnedPacket p = rx.take();
          assertTrue(checksumOk(p), "checksum of packet " + expected);
          assertEquals(expected++, p.getLong(0));
          p.free();
        }
      }
      final DeviceStats sa = a.stats();
      final DeviceStats sb = b.stats();
      assertEquals(total, sa.txPackets());
      assertEquals(total, sb.rxPackets());
      assertEquals(bytes, sa.txBytes());
      assertEquals(bytes, sb.rxBytes());
      assertEquals(1024, pool.freeCount());
    }
  }

  @Test
  void fullRingPushesBackAndLeavesTheRestWithTheCaller() {
    final DeviceOptions options = DeviceOptions.defaults().withRingSize(16);
    try (NetworkDevice a = NetworkDevice.open("pair:bp:0", options);
        NetworkDevice b = NetworkDevice.open("pair:bp:1", options)) {
      final PacketBatch tx = new PacketBatch(40);
      pool.allocBatch(tx, 40, 60);
      for (int i = 0; i < 40; i++) {
        tx.get(i).putInt(0, i);
      }
      assertEquals(16, a.txBatch(0, tx));
      assertEquals(24, tx.size());
      assertEquals(16, tx.get(0).getInt(0), "unsent packets keep their order");
      assertEquals(0, a.txBatch(0, tx));
      assertEquals(16, pool.inFlightCount());
      assertEquals(24, pool.ownedCount());
      final PacketBatch rx = new PacketBatch(8);
      assertEquals(8, b.rxBatch(0, rx, 100), "rx is limited by the batch's room");
      assertEquals(0, rx.get(0).getInt(0));
      rx.freeAll();
      assertEquals(8, a.txBatch(0, tx));
      assertEquals(16, tx.size());
      tx.freeAll();
    }
    assertEquals(1024, pool.freeCount(), "closing both ends returns in-flight packets");
  }

  @Test
  void rxRespectsMaxAndEmptyRingReturnsZero() {
    try (NetworkDevice a = NetworkDevice.open("pair:max:0");
        NetworkDevice b = NetworkDevice.open("pair:max:1")) {
      final PacketBatch rx = new PacketBatch(32);
      assertEquals(0, b.rxBatch(0, rx, 32));
      final PacketBatch tx = new PacketBatch(10);
      pool.allocBatch(tx, 10, 60);
      a.txBatch(0, tx);
      assertEquals(3, b.rxBatch(0, rx, 3));
      assertEquals(7, b.rxBatch(0, rx, 32));
      rx.freeAll();
    }
  }

  @Test
  void sentPacketIsDeadForTheSender() {
    try (NetworkDevice a = NetworkDevice.open("pair:dead:0");
        NetworkDevice b = NetworkDevice.open("pair:dead:1")) {
      final PacketBatch tx = new PacketBatch(1);
      final OwnedPacket p = pool.alloc(60);
      tx.add(p);
      a.txBatch(0, tx);
      final PacketOwnershipException e =
          assertThrows(PacketOwnershipException.class, () -> p.putByte(0, (byte) 1));
      assertTrue(e.getMessage().contains("txBatch on pair:dead:0"), e.getMessage());
      // Sending it again through a batch is refused and leaves the batch unchanged.
      tx.add(p);
      assertThrows(PacketOwnershipException.class, () -> a.txBatch(0, tx));
      assertEquals(1, tx.size());
      tx.take();
      final PacketBatch rx = new PacketBatch(1);
      assertEquals(1, b.rxBatch(0, rx, 1));
      rx.freeAll();
    }
  }

  @Test
  void linkIsUpOnlyWithBothEndsAndEndsAreExclusive() {
    final NetworkDevice a = NetworkDevice.open("pair:link:0");
    assertFalse(a.linkStatus().up());
    final DeviceException e =
        assertThrows(DeviceException.class, () -> NetworkDevice.open("pair:link:0"));
    assertTrue(e.getMessage().startsWith("pair:link:0: claim device: already open in this process"),
        e.getMessage());
    try (NetworkDevice b = NetworkDevice.open("pair:link:1")) {
      assertTrue(a.linkStatus().up());
      assertEquals("pair", b.driverName());
      assertEquals("pair:link:1", b.address());
      assertEquals(1, b.rxQueueCount());
      assertFalse(a.macAddress().equals(b.macAddress()));
      assertFalse(a.macAddress().isMulticast());
    }
    a.close();
    a.close();
    assertThrows(IllegalStateException.class, () -> a.rxBatch(0, new PacketBatch(1), 1));
  }

  @Test
  void badQueueIndexIsRejected() {
    try (NetworkDevice a = NetworkDevice.open("pair:q:0")) {
      assertThrows(IndexOutOfBoundsException.class, () -> a.txBatch(1, new PacketBatch(1)));
      assertThrows(IndexOutOfBoundsException.class, () -> a.rxBatch(-1, new PacketBatch(1), 1));
    }
  }
}
