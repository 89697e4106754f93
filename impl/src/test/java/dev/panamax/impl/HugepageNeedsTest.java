package dev.panamax.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.panamax.impl.device.HugepageNeeds;
import org.junit.jupiter.api.Test;

class HugepageNeedsTest {
  @Test
  void roundsEachRegionUpToWholePages() {
    // 2 MiB of rings + 4096 buffers of 2 KiB (8 MiB) = 5 pages; 1 byte still takes a page.
    assertEquals("; opening this device needs 5 free 2 MiB hugepages in all",
        HugepageNeeds.describe(2L << 20, 4096L * 2048));
    assertEquals("; opening this device needs 2 free 2 MiB hugepages in all",
        HugepageNeeds.describe(1, (2L << 20) - 1));
  }
}
