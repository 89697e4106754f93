package dev.panamax.impl.intel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/**
 * The ring benchmark measures what it names: every operation receives or sends {@value
 * IntelRingBenchmark#FRAMES_PER_OP} frames, for each batch size and descriptor format, many
 * times over (the rings wrap), and nothing is left in flight or lost.
 */
class IntelRingBenchmarkTest {
  @Test
  void everyOperationMovesAllItsFrames() {
    for (String format : new String[] {"ADVANCED", "LEGACY"}) {
      for (int batch : new int[] {1, 32}) {
        final IntelRingBenchmark b = new IntelRingBenchmark();
        b.format = format;
        b.batch = batch;
        b.setUp();
        try {
          for (int op = 0; op < 5; op++) {
            final String what = format + " batch " + batch + " op " + op;
            assertEquals(IntelRingBenchmark.FRAMES_PER_OP, b.rxReceive(), what + ": received");
            assertEquals(IntelRingBenchmark.FRAMES_PER_OP, b.txSend(), what + ": sent");
            assertEquals(IntelRingBenchmark.FRAMES_PER_OP, b.txPool(), what + ": allocated");
            assertNotEquals(0, b.rxDevice(), what + ": write-back seen");
          }
        } finally {
          b.tearDown();
        }
      }
    }
  }
}
