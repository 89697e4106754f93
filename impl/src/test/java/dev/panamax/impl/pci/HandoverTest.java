package dev.panamax.impl.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.api.DeviceException;
import dev.panamax.api.DeviceOptions;
import dev.panamax.api.PciAddress;
import dev.panamax.impl.dma.DmaFiles;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Handing a device over and back, against a fake sysfs tree, a fake hugetlbfs mount (a plain
 * directory named in a fake mount table) and a temporary run directory: the record that
 * outlives the process, the DMA files kept until the device is stopped, and recovery after a
 * holder that died. The order of the steps is what makes it safe, so the tests check it.
 */
class HandoverTest {
  private static final String ADDRESS = "0000:00:11.0";
  /** Above Linux's largest pid_max (2^22), so no process has it. */
  private static final long DEAD = 4_194_305L;

  @TempDir Path root;
  private Path sysfs;
  private Path run;
  private Path huge;
  private Path mounts;
  private Path device;
  private final long self = ProcessHandle.current().pid();

  @BeforeEach
  void setUp() throws IOException {
    sysfs = root.resolve("sys");
    run = root.resolve("run");
    huge = Files.createDirectories(root.resolve("huge"));
    mounts = Files.writeString(root.resolve("mounts"), "nodev " + huge + " hugetlbfs rw 0 0\n");
    device = Files.createDirectories(sysfs.resolve("bus/pci/devices").resolve(ADDRESS));
    final byte[] config = new byte[256];
    config[0] = (byte) 0x86;
    config[1] = (byte) 0x80;
    config[2] = (byte) 0x0E;
    config[3] = (byte) 0x10; // 8086:100e, an e1000
    config[4] = 0x07; // memory space, I/O space and bus master enabled
    config[0x0B] = 0x02;
    Files.write(device.resolve("config"), config);
    final Path driver = Files.createDirectories(sysfs.resolve("bus/pci/drivers/e1000"));
    Files.writeString(driver.resolve("unbind"), "");
    Files.writeString(driver.resolve("bind"), "");
  }

  private void bindE1000() throws IOException {
    Files.createSymbolicLink(device.resolve("driver"), sysfs.resolve("bus/pci/drivers/e1000"));
  }

  private PciOpener.Context claimed() {
    final PciOpener.Context context = PciOpener.check(PciAddress.parse(ADDRESS),
        DeviceOptions.defaults(), sysfs, name -> List.of());
    context.claim(run, mounts);
    return context;
  }

  private Path dmaFile(long pid, String purpose, int mib) throws IOException {
    final Path file = Files.createDirectories(huge.resolve(DmaFiles.DIRECTORY))
        .resolve(DmaFiles.name(ADDRESS, pid, purpose));
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength((long) mib << 20);
    }
    return file;
  }

  private List<String> dmaFiles() throws IOException {
    final Path dir = huge.resolve(DmaFiles.DIRECTORY);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> String.valueOf(p.getFileName())).sorted().toList();
    }
  }

  private boolean busMaster() throws IOException {
    return (Files.readAllBytes(device.resolve("config"))[4] & 0x4) != 0;
  }

  @Test
  void aCleanOpenAndCloseRecordsTheDriverThenStopsDeletesRebindsAndForgets() throws IOException {
    bindE1000();
    final PciOpener.Context context = claimed();
    final Path record = run.resolve(ADDRESS + ".driver");
    assertEquals("driver=e1000\npid=" + self + "\n", Files.readString(record));
    assertFalse(context.needsRecovery());
    context.unbindKernelDriver();
    assertEquals(ADDRESS, Files.readString(sysfs.resolve("bus/pci/drivers/e1000/unbind")));
    Files.delete(device.resolve("driver")); // what the kernel does on unbind
    dmaFile(self, "rings", 2);
    dmaFile(self, "rx", 8);
    dmaFile(DEAD, "rx", 2); // not this process's: release leaves it alone

    assertEquals("", context.release());
    assertFalse(busMaster(), "bus mastering is off before the memory goes");
    assertEquals(List.of(DmaFiles.name(ADDRESS, DEAD, "rx")), dmaFiles());
    assertEquals(ADDRESS, Files.readString(sysfs.resolve("bus/pci/drivers/e1000/bind")));
    assertFalse(Files.exists(record), "the record goes once the driver is back");
    assertEquals("", Files.readString(run.resolve(ADDRESS + ".lock")), "claim given up");
    assertEquals("", context.release(), "a second release does nothing");
  }

  @Test
  void whenRebindingFailsTheRecordStaysForTheNextClaim() throws IOException {
    bindE1000();
    final PciOpener.Context context = claimed();
    context.unbindKernelDriver();
    Files.delete(device.resolve("driver"));
    Files.delete(sysfs.resolve("bus/pci/drivers/e1000/bind")); // the kernel refuses
    final String note = context.release();
    assertTrue(note.startsWith(" (and rebinding e1000 failed: "), note);
    assertEquals("driver=e1000\npid=" + self + "\n", Files.readString(run.resolve(ADDRESS + ".driver")));
  }

  @Test
  void aDeadHoldersDeviceIsStoppedBeforeItsFilesGoAndItsDriverComesBack() throws IOException {
    // A holder that died: unbound device, its record and its kept files.
    Files.createDirectories(run);
    Files.writeString(run.resolve(ADDRESS + ".driver"), "driver=e1000\npid=" + DEAD + "\n");
    dmaFile(DEAD, "rings", 2);
    dmaFile(DEAD, "rx", 16);
    final PciOpener.Context context = claimed();
    assertTrue(context.needsRecovery());
    assertEquals("driver=e1000\npid=" + self + "\n", Files.readString(run.resolve(ADDRESS + ".driver")),
        "the new holder keeps the original driver");

    final List<String> seenByReset = new ArrayList<>();
    final String done = context.recover(c -> {
      try {
        seenByReset.add("bus master " + busMaster() + ", files " + dmaFiles().size());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    assertEquals(List.of("bus master false, files 2"), seenByReset,
        "the reset runs with bus mastering off and the files still there");
    assertEquals("recovered the device left by PID " + DEAD + " (no longer running): bus mastering"
        + " off, device reset, 2 stale DMA files (18 MiB) deleted", done);
    assertEquals(List.of(), dmaFiles());
    assertEquals("", context.release());
    assertEquals(ADDRESS, Files.readString(sysfs.resolve("bus/pci/drivers/e1000/bind")),
        "the driver the dead holder had taken the device from");
    assertFalse(Files.exists(run.resolve(ADDRESS + ".driver")));
  }

  @Test
  void aResetThatFailsKeepsTheFiles() throws IOException {
    Files.createDirectories(run);
    Files.writeString(run.resolve(ADDRESS + ".driver"), "driver=e1000\npid=" + DEAD + "\n");
    dmaFile(DEAD, "rx", 2);
    final PciOpener.Context context = claimed();
    final DeviceException e = assertThrows(DeviceException.class, () -> context.recover(c -> {
      throw new DeviceException(ADDRESS, "reset device", "CTRL.RST did not clear within 1 s");
    }));
    assertEquals(ADDRESS + ": recover: the device left by PID " + DEAD + " (no longer running)"
        + " could not be stopped, its DMA memory stays reserved: " + ADDRESS + ": reset device:"
        + " CTRL.RST did not clear within 1 s", e.getMessage());
    assertEquals(List.of(DmaFiles.name(ADDRESS, DEAD, "rx")), dmaFiles());
    context.release();
  }

  @Test
  void aDeviceTheKernelTookBackIsNotResetOnlyItsFilesGo() throws IOException {
    bindE1000(); // someone bound the driver again by hand: its probe reset the device
    Files.createDirectories(run);
    Files.writeString(run.resolve(ADDRESS + ".driver"), "driver=e1000\npid=" + DEAD + "\n");
    dmaFile(DEAD, "rx", 2);
    final PciOpener.Context context = claimed();
    final String done = context.recover(c -> {
      throw new AssertionError("a device a kernel driver owns is not touched");
    });
    assertEquals("recovered the device left by PID " + DEAD + " (no longer running): bound to"
        + " e1000 again, whose probe reset it, 1 stale DMA file (2 MiB) deleted", done);
    assertTrue(busMaster(), "the kernel driver's device is left as it is");
    assertEquals("", context.release());
    assertEquals(List.of(), dmaFiles());
  }
}
