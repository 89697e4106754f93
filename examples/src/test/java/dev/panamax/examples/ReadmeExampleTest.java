package dev.panamax.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.panamax.api.NetworkDevice;
import dev.panamax.api.PacketBatch;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/** The "first program" of README.md, verbatim, plus checks of what it did. */
class ReadmeExampleTest {
  @Test
  void firstProgramMovesPacketsFromSourceToSink() {
    final NetworkDevice seenRx;
    final NetworkDevice seenTx;
    try (Arena arena = Arena.ofConfined();
         NetworkDevice rx = NetworkDevice.open("null:source");
         NetworkDevice tx = NetworkDevice.open("null:sink")) {
      PacketBatch batch = new PacketBatch(32);
      for (int i = 0; i < 1_000; i++) {
        rx.rxBatch(0, batch, 32);          // received packets move into the batch
        batch.forEach(p -> p.putByte(0, (byte) 1)); // lend each packet, no allocation
        tx.txBatch(0, batch);              // accepted packets move to the device
        batch.freeAll();                   // whatever the device refused goes back to its pool
      }
      assertEquals(32_000, rx.stats().rxPackets());
      assertEquals(32_000, tx.stats().txPackets());
      assertEquals(32_000L * 60, tx.stats().txBytes());
      seenRx = rx;
      seenTx = tx;
    }
    assertEquals("null:source", seenRx.address());
    assertEquals("null:sink", seenTx.address());
  }
}
