package dev.panamax.impl.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.api.DeviceException;
import dev.panamax.api.PanamaxException;
import dev.panamax.api.PciAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The refusals of bind and unbind, against a fake sysfs tree: each names the device and the
 * step, comes before anything is written (no unbind, bind or driver_override write, no record),
 * and leaves no claim behind.
 */
class VfioBinderTest {
  private static final String A = "0000:01:00.0";
  private static final String B = "0000:02:00.0";

  @TempDir Path root;
  private Path sysfs;
  private Path run;
  private Path mounts;
  private final List<String> lines = new ArrayList<>();

  @BeforeEach
  void tree() throws IOException {
    sysfs = Files.createDirectories(root.resolve("sys"));
    run = root.resolve("run");
    final Path huge = Files.createDirectories(root.resolve("huge"));
    mounts = Files.writeString(root.resolve("mounts"), "nodev " + huge + " hugetlbfs rw,pagesize=2M 0 0\n");
    Files.createDirectories(sysfs.resolve("bus/pci/drivers/vfio-pci"));
  }

  /** An e1000 (8086:100e) bound to e1000, in IOMMU group {@code group} (none if negative). */
  private Path e1000(String address, int group) throws IOException {
    return device(address, 0x100E, "e1000", group);
  }

  private Path device(String address, int deviceId, String driverName, int group) throws IOException {
    final Path dir = Files.createDirectories(sysfs.resolve("bus/pci/devices").resolve(address));
    final byte[] config = new byte[256];
    config[0] = (byte) 0x86;
    config[1] = (byte) 0x80;
    config[2] = (byte) deviceId;
    config[3] = (byte) (deviceId >> 8);
    config[0x0B] = 0x02;
    Files.write(dir.resolve("config"), config);
    final Path driver = Files.createDirectories(sysfs.resolve("bus/pci/drivers").resolve(driverName));
    Files.writeString(driver.resolve("unbind"), "", java.nio.file.StandardOpenOption.CREATE);
    Files.writeString(driver.resolve("bind"), "", java.nio.file.StandardOpenOption.CREATE);
    Files.createSymbolicLink(dir.resolve("driver"), driver);
    Files.writeString(dir.resolve("driver_override"), "");
    if (group >= 0) {
      final Path groupDir = Files.createDirectories(sysfs.resolve("kernel/iommu_groups/" + group + "/devices"));
      Files.createSymbolicLink(dir.resolve("iommu_group"), groupDir.getParent());
      Files.createSymbolicLink(groupDir.resolve(address), dir);
    }
    return dir;
  }

  private VfioBinder binder(int uid) {
    return new VfioBinder(sysfs, run, mounts, root.resolve("dev-vfio"), iface -> List.of(), () -> uid,
        lines::add);
  }

  private DeviceException refuseBind(int uid, String... addresses) {
    final List<PciAddress> list = java.util.Arrays.stream(addresses).map(PciAddress::parse).toList();
    return assertThrows(DeviceException.class, () -> binder(uid).bind(list, "nobody", f -> 0L));
  }

  /** Nothing was written to the device, no record exists, and the claim is free again. */
  private void assertUntouched(String address) throws IOException {
    assertEquals("", Files.readString(sysfs.resolve("bus/pci/drivers/e1000/unbind")));
    assertEquals("", Files.readString(sysfs.resolve("bus/pci/devices").resolve(address).resolve("driver_override")));
    assertFalse(Files.exists(sysfs.resolve("bus/pci/drivers_probe")), "no probe was asked for");
    assertFalse(Files.exists(run.resolve(address + VfioBinder.RECORD_SUFFIX)));
    assertEquals(List.of(), lines, "no step was done");
    DeviceClaim.acquire(run, address).release();
  }

  @Test
  void aUserWhoIsNotRootIsRefused() throws IOException {
    e1000(A, 5);
    final DeviceException e = refuseBind(1000, A);
    assertEquals("check privileges", e.step());
    assertEquals(A + ": check privileges: running as uid 1000; binding a device to vfio-pci and"
        + " granting it to a user need root", e.getMessage());
    assertUntouched(A);
  }

  @Test
  void aDeviceWithoutIommuGroupIsRefusedNamingTheKernelOption() throws IOException {
    e1000(A, -1);
    final DeviceException e = refuseBind(0, A);
    assertEquals("check IOMMU group", e.step());
    assertTrue(e.getMessage().contains("no IOMMU group") && e.getMessage().contains("intel_iommu=on"),
        e.getMessage());
    assertUntouched(A);
  }

  @Test
  void aGroupWithADeviceOfAnotherDriverIsRefusedListingItButNotItsHarmlessMembers()
      throws IOException {
    e1000(A, 5);
    device("0000:01:00.1", 0x100E, "snd_hda_intel", -1);
    Files.createSymbolicLink(sysfs.resolve("kernel/iommu_groups/5/devices/0000:01:00.1"),
        sysfs.resolve("bus/pci/devices/0000:01:00.1"));
    device("0000:00:1c.0", 0x100E, "pcieport", -1);
    Files.createSymbolicLink(sysfs.resolve("kernel/iommu_groups/5/devices/0000:00:1c.0"),
        sysfs.resolve("bus/pci/devices/0000:00:1c.0"));
    final DeviceException e = refuseBind(0, A);
    assertEquals("check IOMMU group", e.step());
    assertTrue(e.getMessage().startsWith(A + ": check IOMMU group: IOMMU group 5 also holds"
        + " 0000:01:00.1 (snd_hda_intel), not bound to vfio-pci;"), e.getMessage());
    assertUntouched(A);
  }

  @Test
  void devicesOfOneGroupBoundInOneCommandPassTheGroupCheck() throws IOException {
    e1000(A, 5);
    e1000(B, 6);
    Files.createSymbolicLink(sysfs.resolve("kernel/iommu_groups/5/devices").resolve(B),
        sysfs.resolve("bus/pci/devices").resolve(B));
    Files.createDirectories(run);
    Files.writeString(run.resolve(B + ".driver"), "driver=e1000\npid=99999999\n");
    // Both pass the group check; B then stops at the check that follows it.
    final DeviceException e = refuseBind(0, A, B);
    assertEquals(B, e.device());
    assertEquals("check for a crashed app", e.step());
    assertTrue(e.getMessage().endsWith("run './panamax recover " + B + "' first"), e.getMessage());
    assertUntouched(A);
  }

  @Test
  void aDeviceHeldByAnAppIsRefusedAndTheOthersAreNotTouched() throws IOException {
    e1000(A, 5);
    e1000(B, 6);
    final DeviceClaim held = DeviceClaim.acquire(run, B);
    try {
      final DeviceException e = refuseBind(0, A, B);
      assertEquals(B, e.device());
      assertEquals("claim device", e.step());
    } finally {
      held.release();
    }
    assertUntouched(A);
  }

  @Test
  void anUnknownUserIsRefusedBeforeAnyDevice() throws IOException {
    e1000(A, 5);
    final PanamaxException e = assertThrows(PanamaxException.class, () -> binder(0).bind(
        List.of(PciAddress.parse(A)), "no-such-user-for-panamax", f -> 0L));
    assertTrue(e.getMessage().startsWith("--user: no such user: 'no-such-user-for-panamax'"),
        e.getMessage());
    assertUntouched(A);
  }

  @Test
  void unbindRefusesADeviceThatBindDidNotBind() throws IOException {
    e1000(A, 5);
    final DeviceException e = assertThrows(DeviceException.class,
        () -> binder(0).unbind(List.of(PciAddress.parse(A))));
    assertEquals(A + ": check binding: not bound by './panamax bind' (no " + run.resolve(A + ".bound")
        + "); it is bound to e1000, nothing to undo", e.getMessage());
    assertFalse(Files.exists(run), "no lock file, not even the run directory, was created");
    assertUntouched(A);
  }

  @Test
  void unbindRefusesADeviceAnAppHolds() throws IOException {
    e1000(A, 5);
    Files.createDirectories(run);
    Files.writeString(run.resolve(A + VfioBinder.RECORD_SUFFIX), "driver=e1000\nuser=nobody\n");
    final DeviceClaim held = DeviceClaim.acquire(run, A);
    try {
      final DeviceException e = assertThrows(DeviceException.class,
          () -> binder(0).unbind(List.of(PciAddress.parse(A))));
      assertEquals("claim device", e.step());
    } finally {
      held.release();
    }
    assertEquals(new VfioBinder.Record("e1000", "nobody"), binder(0).readRecord(A));
    assertEquals("", Files.readString(sysfs.resolve("bus/pci/drivers/e1000/unbind")));
  }
}
