package dev.panamax.impl.virtio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The virtqueue benchmark measures what it names: every operation receives or sends {@value
 * VirtqueueBenchmark#FRAMES_PER_OP} frames, for each batch size, many times over (the queues and
 * their 16-bit indexes wrap), and nothing is left in flight or lost.
 */
class VirtqueueBenchmarkTest {
  @Test
  void everyOperationMovesAllItsFrames() {
    for (int batch : new int[] {1, 32}) {
      final VirtqueueBenchmark b = new VirtqueueBenchmark();
      b.batch = batch;
      b.setUp();
      try {
        // 300 operations of 512 frames: 153 600 frames, so the 16-bit indexes wrap twice.
        for (int op = 0; op < 300; op++) {
          final String what = "batch " + batch + " op " + op;
          assertEquals(VirtqueueBenchmark.FRAMES_PER_OP, b.rxReceive(), what + ": received");
          assertEquals(VirtqueueBenchmark.FRAMES_PER_OP, b.txSend(), what + ": sent");
          assertEquals(VirtqueueBenchmark.FRAMES_PER_OP, b.txPool(), what + ": allocated");
          // The write-back alone is undone: the next operation still receives every frame.
          b.rxDevice();
        }
      } finally {
        b.tearDown();
      }
    }
  }
}
