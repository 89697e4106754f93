package dev.panamax.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MacAddressTest {
  @Test
  void parsesColonAndDashForms() {
    assertEquals(new MacAddress(0x5254_0012_3456L), MacAddress.parse("52:54:00:12:34:56"));
    assertEquals(new MacAddress(0xAABB_CCDD_EEFFL), MacAddress.parse("aa-bb-cc-dd-ee-ff"));
  }

  @Test
  void roundTripsThroughTextAndOctets() {
    final MacAddress mac = MacAddress.parse("02:1A:ff:00:7e:80");
    assertEquals("02:1a:ff:00:7e:80", mac.toString());
    assertArrayEquals(new byte[] {2, 0x1a, (byte) 0xff, 0, 0x7e, (byte) 0x80}, mac.octets());
    assertEquals(mac, MacAddress.of(mac.octets()));
  }

  @Test
  void knowsGroupAddresses() {
    assertTrue(MacAddress.BROADCAST.isMulticast());
    assertTrue(MacAddress.parse("01:00:5e:00:00:01").isMulticast());
    assertFalse(MacAddress.parse("52:54:00:00:00:01").isMulticast());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "52:54:00:12:34", "52:54:00:12:34:56:78", "52:54:00-12:34:56",
      "5254.0012.3456", "52:54:00:12:34:5g", "525400123456", " 52:54:00:12:34:56"})
  void rejectsMalformedWithExpectedForm(String text) {
    final IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse(text));
    assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("52:54:00:12:34:56"), e.getMessage());
  }

  @Test
  void rejectsWrongOctetCountAndWideValues() {
    assertThrows(IllegalArgumentException.class, () -> MacAddress.of(new byte[5]));
    assertThrows(IllegalArgumentException.class, () -> new MacAddress(1L << 48));
  }
}
