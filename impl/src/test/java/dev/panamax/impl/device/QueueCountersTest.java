package dev.panamax.impl.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.panamax.api.QueueStats;
import org.junit.jupiter.api.Test;

/** Each queue keeps its own counts; the totals are their sums, added to what a device has. */
class QueueCountersTest {

  @Test
  void eachQueueCountsItsOwnAndTheTotalsAreTheirSums() {
    final QueueCounters c = new QueueCounters("0000:04:00.0", 3);
    c.received(0, 10, 600, 1);
    c.received(2, 5, 300, 0);
    c.received(2, 1, 60, 2);
    c.sent(1, 7, 420);
    assertEquals(new QueueStats(0, 10, 600, 0, 0), c.stats(0));
    assertEquals(new QueueStats(1, 0, 0, 7, 420), c.stats(1));
    assertEquals(new QueueStats(2, 6, 360, 0, 0), c.stats(2));
    final long[] totals = {1, 1, 1, 1, 1, 1, 1, 1};
    c.addTotals(totals);
    assertArrayEquals(new long[] {17, 961, 8, 421, 4, 1, 1, 1}, totals);
  }

  @Test
  void aQueueOutsideTheRangeIsRefusedWithTheDeviceAndTheRange() {
    final QueueCounters c = new QueueCounters("0000:04:00.0", 2);
    final IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> c.stats(2));
    assertEquals("device 0000:04:00.0: queue 2 outside [0, 2)", e.getMessage());
  }
}
