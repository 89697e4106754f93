package dev.panamax.impl.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class PciConfigTest {
  @Test
  void parsesIdsClassAndCapabilityList() {
    final byte[] c = new byte[256];
    c[0] = (byte) 0xF4;
    c[1] = 0x1A;
    c[2] = 0x41;
    c[3] = 0x10;
    c[0x06] = 0x10; // capability list present
    c[0x0B] = 0x02;
    c[0x0A] = 0x00;
    c[0x2E] = 0x01;
    c[0x34] = 0x40;
    c[0x40] = 0x09;
    c[0x41] = 0x50;
    c[0x50] = 0x11;
    c[0x51] = 0x00;
    final PciConfig config = new PciConfig(c);
    assertEquals(0x1AF4, config.vendorId());
    assertEquals(0x1041, config.deviceId());
    assertEquals(0x02, config.baseClass());
    assertEquals(1, config.subsystemId());
    assertEquals(List.of(0x40, 0x50), config.capabilities());
    assertEquals("class 02:00 (network controller)", config.describeClass());
  }

  @Test
  void noCapabilityListWhenStatusBitIsClear() {
    final byte[] c = new byte[64];
    c[0x34] = 0x40;
    assertEquals(List.of(), new PciConfig(c).capabilities());
  }

  @Test
  void loopingCapabilityListTerminates() {
    final byte[] c = new byte[256];
    c[0x06] = 0x10;
    c[0x34] = 0x40;
    c[0x41] = 0x40;
    assertEquals(48, new PciConfig(c).capabilities().size());
  }

  @Test
  void rejectsTruncatedHeader() {
    assertThrows(IllegalArgumentException.class, () -> new PciConfig(new byte[32]));
  }
}
