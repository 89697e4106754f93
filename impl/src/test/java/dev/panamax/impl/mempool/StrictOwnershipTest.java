package dev.panamax.impl.mempool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.api.DeviceOptions;
import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;
import dev.panamax.api.PacketOwnershipException;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Strict ownership mode: every stale use is detected, even after the buffer was handed out
 * again. Runs only in the impl pom's {@code strict-ownership} surefire execution, whose JVM has
 * {@code -Dpanamax.strictOwnership=true}.
 */
class StrictOwnershipTest {
  private final Arena arena = Arena.ofConfined();

  @BeforeAll
  static void strictModeIsOn() {
    assertTrue(PacketBuffer.STRICT, "run this class with -Dpanamax.strictOwnership=true");
  }

  @AfterEach
  void close() {
    arena.close();
  }

  private Mempool pool(int count) {
    return Mempool.create(arena, DmaSource.virtualMemory(), 2048, count, "strict");
  }

  @Test
  void useAfterFreeIsDetectedAfterTheBufferWasReused() {
    final Mempool p = pool(1);
    final OwnedPacket stale = p.alloc(60);
    stale.free();
    final OwnedPacket owner = p.alloc(60); // the same buffer, a fresh handle
    assertEquals(stale.bufferIndex(), owner.bufferIndex());
    assertNotSame(stale, owner);
    final PacketOwnershipException e =
        assertThrows(PacketOwnershipException.class, () -> stale.putByte(0, (byte) 1));
    System.out.println("strict mode, use after free after reuse: " + e.getMessage());
    assertEquals("putByte() on a packet the application no longer owns: pool 'strict' buffer #0"
        + " was consumed by free() and is back in its pool; strict ownership mode: this handle is"
        + " stale, it was issued at generation 1 and the buffer is now at generation 2 (handed out"
        + " again since)", e.getMessage());
    // The stale handle cannot free or send the new owner's buffer either.
    assertThrows(PacketOwnershipException.class, stale::free);
    assertThrows(PacketOwnershipException.class, () -> p.free(stale));
    owner.putByte(0, (byte) 7);
    assertEquals(7, owner.getByte(0));
    owner.free();
    assertEquals(1, p.freeCount());
  }

  @Test
  void aPacketSentThroughAPairIsDeadForTheSenderWhileTheReceiverOwnsItsBuffer() {
    try (NetworkDevice a = NetworkDevice.open("pair:strict:0", DeviceOptions.defaults());
        NetworkDevice b = NetworkDevice.open("pair:strict:1", DeviceOptions.defaults())) {
      final Mempool p = pool(4);
      final PacketBatch batch = new PacketBatch(4);
      final OwnedPacket sent = p.alloc(60);
      batch.add(sent);
      assertEquals(1, a.txBatch(0, batch));
      assertEquals(1, b.rxBatch(0, batch, 4));
      final OwnedPacket received = batch.get(0);
      assertEquals(sent.bufferIndex(), received.bufferIndex());
      final PacketOwnershipException e = assertThrows(PacketOwnershipException.class, sent::length);
      System.out.println("strict mode, use after send after receive: " + e.getMessage());
      assertTrue(e.getMessage().startsWith("length() on a packet the application no longer owns:"
          + " pool 'strict' buffer #0 was consumed by txBatch on pair:strict:0 and was received"
          + " again under a new handle"), e.getMessage());
      // The receiver forwards it back; the first sender's handle still cannot touch it.
      assertEquals(1, b.txBatch(0, batch));
      assertEquals(1, a.rxBatch(0, batch, 4));
      assertThrows(PacketOwnershipException.class, () -> sent.getByte(0));
      assertThrows(PacketOwnershipException.class, () -> received.getByte(0));
      batch.get(0).putByte(0, (byte) 1);
      batch.freeAll();
      assertEquals(4, p.freeCount());
    }
  }

  @Test
  void aPacketSentToANullDeviceIsDeadAfterItsBufferWasReused() {
    try (NetworkDevice sink = NetworkDevice.open("null:strict", DeviceOptions.defaults())) {
      final Mempool p = pool(1);
      final PacketBatch batch = new PacketBatch(1);
      final OwnedPacket sent = p.alloc(60);
      batch.add(sent);
      assertEquals(1, sink.txBatch(0, batch));
      final OwnedPacket again = p.alloc(60);
      final PacketOwnershipException e =
          assertThrows(PacketOwnershipException.class, () -> sent.getByte(0));
      assertTrue(e.getMessage().contains("was consumed by txBatch on null:strict and is back in its"
          + " pool; strict ownership mode: this handle is stale"), e.getMessage());
      again.free();
    }
  }

  @Test
  void aStaleHandleInABatchIsRefusedByTxAndStaysInTheBatch() {
    try (NetworkDevice sink = NetworkDevice.open("null:strict-tx", DeviceOptions.defaults())) {
      final Mempool p = pool(1);
      final OwnedPacket stale = p.alloc(60);
      stale.free();
      final OwnedPacket owner = p.alloc(60);
      final PacketBatch batch = new PacketBatch(1);
      batch.add(stale); // unchecked code could do this
      final PacketOwnershipException e =
          assertThrows(PacketOwnershipException.class, () -> sink.txBatch(0, batch));
      assertTrue(e.getMessage().startsWith("txBatch on null:strict-tx on a packet the application"
          + " no longer owns"), e.getMessage());
      assertEquals(1, batch.size());
      owner.free();
      assertEquals(1, p.freeCount());
    }
  }
}
