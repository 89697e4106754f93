package dev.panamax.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.api.DeviceException;
import dev.panamax.api.NetworkDevice;
import org.junit.jupiter.api.Test;

/** Spec parsing. These tests never reach PCI: they stop at parsing or driver selection. */
class DefaultProviderTest {
  @Test
  void malformedSpecNamesTheSpecTheStepAndTheForms() {
    final DeviceException e =
        assertThrows(DeviceException.class, () -> NetworkDevice.open("eth0"));
    assertEquals("eth0", e.device());
    assertEquals("parse device spec", e.step());
    assertTrue(e.getMessage().contains("pair:NAME:0"), e.getMessage());
    assertTrue(e.getMessage().contains("0000:03:00.0"), e.getMessage());
  }

  @Test
  void malformedVirtualNamesAreRejected() {
    assertThrows(DeviceException.class, () -> NetworkDevice.open("pair:x:2"));
    assertThrows(DeviceException.class, () -> NetworkDevice.open("pair:x"));
    assertThrows(DeviceException.class, () -> NetworkDevice.open("null:"));
  }

  @Test
  void badPciAddressIsAParseError() {
    final DeviceException e =
        assertThrows(DeviceException.class, () -> NetworkDevice.open("00:20.0"));
    assertEquals("parse device spec", e.step());
  }

  @Test
  void anInMemoryDeviceOpenTwiceInOneProcessIsRefusedUntilClosed() {
    for (String spec : new String[] {"null:twice", "pair:twice:0"}) {
      final NetworkDevice first = NetworkDevice.open(spec);
      final DeviceException e = assertThrows(DeviceException.class, () -> NetworkDevice.open(spec));
      assertEquals(spec, e.device());
      assertEquals("claim device", e.step());
      assertTrue(e.getMessage().startsWith(spec + ": claim device: already open in this process"),
          e.getMessage());
      // The refusal did not touch the first instance.
      assertEquals(0, first.stats().txPackets());
      first.close();
      NetworkDevice.open(spec).close();
    }
  }

  @Test
  void theTwoEndsOfAPairAreDifferentDevices() {
    try (NetworkDevice a = NetworkDevice.open("pair:ends:0");
        NetworkDevice b = NetworkDevice.open("pair:ends:1")) {
      assertEquals("pair:ends:1", b.address());
      assertEquals("pair:ends:0", a.address());
    }
  }
}
