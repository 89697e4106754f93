package dev.panamax.impl.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.PacketBatch;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

class NullDeviceTest {
  @Test
  void transmitCountsAndFreesAtOnce() {
    try (Arena arena = Arena.ofConfined();
        NetworkDevice sink = NetworkDevice.open("null:sink")) {
      final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 64, "n");
      final PacketBatch batch = new PacketBatch(64);
      pool.allocBatch(batch, 64, 100);
      assertEquals(64, sink.txBatch(0, batch));
      assertTrue(batch.isEmpty());
      assertEquals(64, pool.freeCount());
      assertEquals(64, sink.stats().txPackets());
      assertEquals(6400, sink.stats().txBytes());
    }
  }

  @Test
  void receiveHandsOutMinimumFramesFromItsOwnPool() {
    try (NetworkDevice source = NetworkDevice.open("null:src");
        NetworkDevice sink = NetworkDevice.open("null:dst")) {
      final PacketBatch batch = new PacketBatch(32);
      assertEquals(20, source.rxBatch(0, batch, 20));
      assertEquals(NullDevice.RX_LENGTH, batch.get(0).length());
      assertEquals("null:src rx", batch.get(0).poolName());
      assertEquals(20, sink.txBatch(0, batch));
      assertEquals(20, source.stats().rxPackets());
      assertTrue(source.linkStatus().up());
    }
  }
}
