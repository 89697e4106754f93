package dev.panamax.impl.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The supported-device table: explicit ids, one family each, no collisions. */
class PciIdsTest {

  @Test
  void qemuModelsMapToTheirFamilies() {
    assertEquals(PciIds.Family.E1000, PciIds.find(0x8086, 0x100E).orElseThrow().family());
    assertEquals(PciIds.Family.IGB, PciIds.find(0x8086, 0x10C9).orElseThrow().family());
    assertEquals(PciIds.Family.IXGBE, PciIds.find(0x8086, 0x10FB).orElseThrow().family());
  }

  @Test
  void e1000eAndOtherIntelIdsAreNotGuessedAt() {
    // 82574L (QEMU's e1000e), X540-T2, I350, 82597EX (ixgb), and an Intel non-NIC.
    for (int device : new int[] {0x10D3, 0x1528, 0x1521, 0x1048, 0x2922}) {
      assertEquals(Optional.empty(), PciIds.find(0x8086, device), Integer.toHexString(device));
    }
  }

  @Test
  void everyIdAppearsOnceAndTheMessageListsThem() {
    final Set<String> seen = new HashSet<>();
    for (String entry : PciIds.supported().split(", ")) {
      assertTrue(seen.add(entry.substring(0, 9)), "duplicate id " + entry);
    }
    assertTrue(PciIds.supported().contains("8086:100e 82540EM (e1000)"), PciIds.supported());
    assertTrue(PciIds.supported().contains("8086:10c9 82576 (igb)"), PciIds.supported());
  }
}
