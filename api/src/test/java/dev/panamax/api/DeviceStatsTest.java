package dev.panamax.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DeviceStatsTest {
  @Test
  void deltaSubtractsEveryCounterAndTime() {
    final DeviceStats a = new DeviceStats("d", 10, 600, 20, 1200, 1, 2, 3, 4, 1_000);
    final DeviceStats b = new DeviceStats("d", 110, 6600, 70, 4200, 2, 4, 6, 8, 2_001_000);
    assertEquals(new DeviceStats("d", 100, 6000, 50, 3000, 1, 2, 3, 4, 2_000_000), b.delta(a));
  }

  @Test
  void ratesUseElapsedTimeAndWireOverhead() {
    // 2 million 60-byte packets in one second: 2 Mpps, (60 + 24) * 8 * 2e6 bit/s = 1344 Mbit/s.
    final DeviceStats d = new DeviceStats("d", 2_000_000, 120_000_000, 1_000_000, 60_000_000,
        0, 0, 0, 0, 1_000_000_000);
    assertEquals(2.0, d.rxMpps(), 1e-9);
    assertEquals(1.0, d.txMpps(), 1e-9);
    assertEquals(1344.0, d.rxMbps(), 1e-9);
    assertEquals(672.0, d.txMbps(), 1e-9);
    assertEquals("d RX 2.00 Mpps 1.34 Gbit/s | TX 1.00 Mpps 672 Mbit/s", d.formatRates());
  }

  @Test
  void ratesAreShownInTheUnitThatShowsThem() {
    // 2000 60-byte packets in one second: 2.00 kpps, 84 * 8 * 2000 = 1.344 Mbit/s.
    final DeviceStats d = new DeviceStats("d", 2_000, 120_000, 0, 0, 0, 0, 0, 0, 1_000_000_000);
    assertEquals("d RX 2.00 kpps 1.34 Mbit/s | TX 0 pps 0 bit/s", d.formatRates());
    assertEquals("0 pps", DeviceStats.formatPacketRate(0));
    assertEquals("7 pps", DeviceStats.formatPacketRate(7.2));
    assertEquals("999 pps", DeviceStats.formatPacketRate(999.4));
    assertEquals("1.00 kpps", DeviceStats.formatPacketRate(999.6));
    assertEquals("12.3 kpps", DeviceStats.formatPacketRate(12_345));
    assertEquals("312 kpps", DeviceStats.formatPacketRate(311_951));
    assertEquals("1.00 Mpps", DeviceStats.formatPacketRate(999_700));
    assertEquals("92.1 Mpps", DeviceStats.formatPacketRate(92.06e6));
    assertEquals("1.50 Gpps", DeviceStats.formatPacketRate(1.5e9));
    assertEquals("0 pps", DeviceStats.formatPacketRate(-3));
    assertEquals("672 bit/s", DeviceStats.formatBitRate(672));
    assertEquals("40.3 kbit/s", DeviceStats.formatBitRate(40_320));
    assertEquals("7.63 Gbit/s", DeviceStats.formatBitRate(7.625e9));
  }

  @Test
  void zeroElapsedTimeGivesZeroRates() {
    final DeviceStats d = new DeviceStats("d", 5, 300, 5, 300, 0, 0, 0, 0, 0);
    assertEquals(0.0, d.rxMpps());
    assertEquals(0.0, d.txMbps());
  }
}
