package dev.panamax.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RssTest {
  private static int ip(int a, int b, int c, int d) {
    return (a << 24) | (b << 16) | (c << 8) | d;
  }

  /**
   * Microsoft's "Verifying the RSS Hash Calculation" IPv4 table (also the 82599 datasheet's
   * 7.1.2.8.3 suite): source, destination, ports, the 2-tuple and the 4-tuple hash.
   */
  @Test
  void toeplitzMatchesThePublishedVerificationVectors() {
    final Rss rss = Rss.spread(1);
    final int[][] vectors = {
      {ip(66, 9, 149, 187), ip(161, 142, 100, 80), 2794, 1766, 0x323e8fc2, 0x51ccc178},
      {ip(199, 92, 111, 2), ip(65, 69, 140, 83), 14230, 4739, 0xd718262a, 0xc626b0ea},
      {ip(24, 19, 198, 95), ip(12, 22, 207, 184), 12898, 38024, 0xd2d0a5de, 0x5c2b394a},
      {ip(38, 27, 205, 30), ip(209, 142, 163, 6), 48228, 2217, 0x82989176, 0xafc7327f},
      {ip(153, 39, 163, 191), ip(202, 188, 127, 2), 44251, 1303, 0x5d1809c5, 0x10e828a2},
    };
    for (int[] v : vectors) {
      assertEquals(v[4], rss.hashIpv4(v[0], v[1]), () -> Integer.toHexString(v[0]));
      assertEquals(v[5], rss.hashIpv4(v[0], v[1], v[2], v[3]), () -> Integer.toHexString(v[0]));
    }
  }

  @Test
  void spreadTableNamesEachQueueInTurnAndQueueOfUsesTheLowSevenBits() {
    final Rss rss = Rss.spread(4);
    for (int i = 0; i < Rss.TABLE_SIZE; i++) {
      assertEquals(i % 4, rss.tableEntry(i));
    }
    assertEquals(4, rss.queuesUsed());
    assertEquals(3, rss.queueOf(0xFFFF_FF83)); // low 7 bits 3
    assertEquals(1, rss.queueOf(0x0000_0081)); // low 7 bits 1
  }

  @Test
  void symmetricKeyGivesBothDirectionsOfAFlowTheSameHash() {
    final Rss rss = Rss.symmetric(4);
    final int a = ip(10, 0, 0, 1);
    final int b = ip(192, 168, 7, 9);
    for (int port = 1000; port < 1100; port++) {
      assertEquals(rss.hashIpv4(a, b, port, 443), rss.hashIpv4(b, a, 443, port));
    }
    // The default key is not symmetric.
    final Rss plain = Rss.spread(4);
    assertTrue(plain.hashIpv4(a, b, 1000, 443) != plain.hashIpv4(b, a, 443, 1000));
  }

  @Test
  void badKeysAndTablesAreRefusedWithTheReason() {
    assertEquals("Rss: key of 39 bytes: must have 40",
        assertThrows(IllegalArgumentException.class, () -> Rss.of(new byte[39], new int[128])).getMessage());
    final int[] table = new int[128];
    table[5] = 16;
    assertEquals("Rss: table entry 5 = 16: must be a queue from 0 to 15",
        assertThrows(IllegalArgumentException.class, () -> Rss.of(new byte[40], table)).getMessage());
    assertEquals("Rss: 17 queues: must be from 1 to 16",
        assertThrows(IllegalArgumentException.class, () -> Rss.spread(17)).getMessage());
    final int[] custom = new int[128];
    custom[127] = 2;
    assertEquals(3, Rss.of(new byte[40], custom).queuesUsed());
  }
}
