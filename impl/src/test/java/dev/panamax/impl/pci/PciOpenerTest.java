package dev.panamax.impl.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.api.DeviceException;
import dev.panamax.api.DeviceOptions;
import dev.panamax.api.DmaSource;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.PciAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The refusals of PciOpener, against a fake sysfs tree: each names the device and the step and
 * leaves the tree exactly as it was (nothing written to unbind, bind or config).
 */
class PciOpenerTest {
  private static final String ADDRESS = "0000:00:10.0";

  @TempDir Path sysfs;

  private Path device(int vendor, int deviceId, int baseClass) throws IOException {
    return device(vendor, deviceId, baseClass, "virtio-pci");
  }

  private Path device(int vendor, int deviceId, int baseClass, String driverName) throws IOException {
    final Path dir = Files.createDirectories(sysfs.resolve("bus/pci/devices").resolve(ADDRESS));
    final byte[] config = new byte[256];
    config[0] = (byte) vendor;
    config[1] = (byte) (vendor >> 8);
    config[2] = (byte) deviceId;
    config[3] = (byte) (deviceId >> 8);
    config[0x0B] = (byte) baseClass;
    Files.write(dir.resolve("config"), config);
    final Path driver = Files.createDirectories(sysfs.resolve("bus/pci/drivers").resolve(driverName));
    Files.writeString(driver.resolve("unbind"), "");
    Files.writeString(driver.resolve("bind"), "");
    Files.createSymbolicLink(dir.resolve("driver"), driver);
    return dir;
  }

  private void assertUntouched(Path dir) throws IOException {
    assertEquals("", Files.readString(sysfs.resolve("bus/pci/drivers/virtio-pci/unbind")));
    assertEquals("", Files.readString(sysfs.resolve("bus/pci/drivers/virtio-pci/bind")));
    assertTrue(Files.isSymbolicLink(dir.resolve("driver")));
  }

  private DeviceException refuse(DeviceOptions options) {
    return assertThrows(DeviceException.class,
        () -> PciOpener.check(PciAddress.parse(ADDRESS), options, sysfs));
  }

  @Test
  void absentDeviceIsRefused() {
    final DeviceException e = refuse(DeviceOptions.defaults());
    assertEquals(ADDRESS, e.device());
    assertEquals("find device", e.step());
    assertTrue(e.getMessage().contains("no such PCI device"), e.getMessage());
  }

  @Test
  void storageControllerIsNotANetworkDevice() throws IOException {
    final Path dir = device(0x1AF4, 0x1001, 0x01);
    final DeviceException e = refuse(DeviceOptions.defaults());
    assertEquals("check device class", e.step());
    assertTrue(e.getMessage().contains("class 01:00 (mass storage controller)"), e.getMessage());
    assertUntouched(dir);
  }

  @Test
  void unsupportedNicListsTheSupportedOnes() throws IOException {
    final Path dir = device(0x10EC, 0x8139, 0x02);
    final DeviceException e = refuse(DeviceOptions.defaults());
    assertEquals("select driver", e.step());
    assertTrue(e.getMessage().contains("unsupported device 10ec:8139"), e.getMessage());
    assertTrue(e.getMessage().contains("1af4:1000 virtio-net"), e.getMessage());
    assertUntouched(dir);
  }

  @Test
  void deviceWithAnInterfaceUpIsRefused() throws IOException {
    final Path dir = device(0x1AF4, 0x1000, 0x02);
    final Path iface = Files.createDirectories(dir.resolve("virtio0/net/eth7"));
    Files.writeString(iface.resolve("flags"), "0x1003\n");
    final DeviceException e = refuse(DeviceOptions.defaults());
    assertEquals("check kernel interface", e.step());
    assertTrue(e.getMessage().contains("interface eth7 is up"), e.getMessage());
    assertTrue(e.getMessage().contains("ip link set eth7 down"), e.getMessage());
    assertUntouched(dir);
  }

  @Test
  void aDownInterfaceWithAddressesIsRefusedNamingThemAndHowToClearThem() throws IOException {
    final Path dir = device(0x8086, 0x100E, 0x02);
    final Path iface = Files.createDirectories(dir.resolve("net/eth3"));
    Files.writeString(iface.resolve("flags"), "0x1002\n");
    final DeviceException one = assertThrows(DeviceException.class, () -> PciOpener.check(
        PciAddress.parse(ADDRESS), DeviceOptions.defaults(), sysfs,
        name -> name.equals("eth3") ? List.of("10.9.0.1/24") : List.of()));
    assertEquals(ADDRESS + ": check kernel interface: interface eth3 is down but has address"
        + " 10.9.0.1/24, which would be lost when the device leaves its kernel driver; clear it"
        + " first ('ip addr flush dev eth3') or choose another device", one.getMessage());
    final DeviceException two = assertThrows(DeviceException.class, () -> PciOpener.check(
        PciAddress.parse(ADDRESS), DeviceOptions.defaults(), sysfs,
        name -> List.of("10.9.0.1/24", "fd00::5/64")));
    assertTrue(two.getMessage().contains("has addresses 10.9.0.1/24, fd00::5/64, which would be"
        + " lost when the device leaves its kernel driver; clear them first"), two.getMessage());
    assertUntouched(dir);
    // Without addresses the same device passes.
    PciOpener.check(PciAddress.parse(ADDRESS), DeviceOptions.defaults(), sysfs, name -> List.of());
  }

  @Test
  void interfaceDownPassesThatCheckButVirtualMemoryIsRefused() throws IOException {
    final Path dir = device(0x1AF4, 0x1041, 0x02);
    final Path iface = Files.createDirectories(dir.resolve("net/eth8"));
    Files.writeString(iface.resolve("flags"), "0x1002\n");
    final DeviceException e = refuse(DeviceOptions.defaults().withDmaSource(DmaSource.virtualMemory()));
    assertEquals("check DMA memory", e.step());
    assertTrue(e.getMessage().contains("DmaSource.hugepages()"), e.getMessage());
    assertUntouched(dir);
  }

  @Test
  void aDeviceBoundToAUserSpaceDriverIsRefusedUnlessTheOptionsNameThatDriver() throws IOException {
    for (String driver : DeviceOptions.USER_SPACE_DRIVERS) {
      final Path dir = device(0x8086, 0x100E, 0x02, driver);
      final DeviceException e = refuse(DeviceOptions.defaults());
      assertEquals("check kernel driver", e.step());
      assertTrue(e.getMessage().contains("bound to " + driver + ", which hands the device to a"
          + " user-space program"), e.getMessage());
      assertTrue(e.getMessage().contains("--take-over-from " + driver
          + " (DeviceOptions.withTakeOverFrom(\"" + driver + "\"))"), e.getMessage());
      final String other = driver.equals("vfio-pci") ? "igb_uio" : "vfio-pci";
      assertEquals("check kernel driver", refuse(DeviceOptions.defaults().withTakeOverFrom(other)).step(),
          "naming another user-space driver is not enough");
      assertEquals(driver, Files.readSymbolicLink(dir.resolve("driver")).getFileName().toString());
      final PciOpener.Context context = PciOpener.check(PciAddress.parse(ADDRESS),
          DeviceOptions.defaults().withTakeOverFrom(driver), sysfs);
      assertEquals(PciIds.Family.E1000, context.entry().family());
      Files.delete(dir.resolve("driver"));
    }
  }

  @Test
  void aSupportedIdleDevicePassesEveryCheck() throws IOException {
    device(0x1AF4, 0x1000, 0x02);
    final PciOpener.Context context =
        PciOpener.check(PciAddress.parse(ADDRESS), DeviceOptions.defaults(), sysfs);
    assertEquals(PciIds.Family.VIRTIO_LEGACY, context.entry().family());
    assertEquals(ADDRESS, context.address());
  }

  @Test
  void hostTestsSeeNoRealPciDevices() {
    // The build points panamax.sysfs at an empty directory, so even a plausible address of the
    // build host resolves to nothing.
    final DeviceException e =
        assertThrows(DeviceException.class, () -> NetworkDevice.open("0000:00:03.0"));
    assertEquals("find device", e.step());
  }
}
