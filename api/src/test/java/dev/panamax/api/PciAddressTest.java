package dev.panamax.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PciAddressTest {
  @Test
  void parsesFullForm() {
    final PciAddress a = PciAddress.parse("0000:03:00.0");
    assertEquals(new PciAddress(0, 3, 0, 0), a);
    assertEquals("0000:03:00.0", a.toString());
  }

  @Test
  void parsesShortFormAsDomainZero() {
    assertEquals(new PciAddress(0, 0x3a, 0x1f, 7), PciAddress.parse("3a:1f.7"));
    assertEquals("0000:3a:1f.7", PciAddress.parse("3a:1F.7").toString());
  }

  @Test
  void parsesNonZeroDomainAndHexDigits() {
    assertEquals(new PciAddress(0xabcd, 0xef, 0x10, 2), PciAddress.parse("ABCD:ef:10.2"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "03:00", "0000:03:00", "000:03:00.0", "0000:3:00.0", "03:00.8",
      "0000:03:00.0 ", "g0:00.0", "0000-03-00.0", "pair:a:0", "03:00.0.1"})
  void rejectsMalformedWithExpectedForm(String text) {
    final IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PciAddress.parse(text));
    assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("DDDD:BB:DD.F"), e.getMessage());
    assertTrue(e.getMessage().contains("0000:03:00.0"), e.getMessage());
  }

  @Test
  void rejectsDeviceNumberAbove1f() {
    final IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PciAddress.parse("00:20.0"));
    assertTrue(e.getMessage().contains("exceeds 0x1f"), e.getMessage());
  }

  @Test
  void constructorChecksRanges() {
    assertThrows(IllegalArgumentException.class, () -> new PciAddress(0x10000, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new PciAddress(0, 256, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new PciAddress(0, 0, 32, 0));
    assertThrows(IllegalArgumentException.class, () -> new PciAddress(0, 0, 0, 8));
  }
}
