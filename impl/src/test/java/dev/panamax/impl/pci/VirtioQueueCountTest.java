package dev.panamax.impl.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.panamax.api.DeviceException;
import dev.panamax.api.DeviceOptions;
import dev.panamax.impl.virtio.VirtioNet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The virtio-net driver drives up to 16 queue pairs (VIRTIO_NET_F_MQ): asking it for more
 * queues is refused with one line naming the device, the count and the limit, before it reads,
 * writes or allocates anything. (Whether the device itself has enough pairs is checked when the
 * features are negotiated: the VM scenario rss.sh shows that refusal.) The device here is a fake sysfs tree of a legacy virtio NIC; a
 * refusal that came later would find no BAR, driver link or hugepages and fail with another
 * message.
 */
class VirtioQueueCountTest {
  private static final String ADDRESS = "0000:09:00.0";

  @Test
  void moreThanSixteenQueuesAreRefusedBeforeTheDeviceIsTouched(@TempDir Path sys) throws IOException {
    final Path device = Files.createDirectories(sys.resolve("bus/pci/devices").resolve(ADDRESS));
    Files.writeString(device.resolve("vendor"), "0x1af4\n", StandardCharsets.US_ASCII);
    Files.writeString(device.resolve("device"), "0x1000\n", StandardCharsets.US_ASCII);
    final List<String> before = listing(sys);
    final PciOpener.Context context = new PciOpener.Context(ADDRESS, SysfsPci.of(sys, ADDRESS),
        new PciConfig(legacyVirtioNetConfig()), PciIds.find(0x1AF4, 0x1000).orElseThrow());

    final DeviceException rx = assertThrows(DeviceException.class, () ->
        VirtioNet.open(context, DeviceOptions.defaults().withQueues(17, 1)));
    assertEquals(ADDRESS + ": check options: rxQueues 17: must be between 1 and 16 (the virtio"
        + " driver drives 16 receive queues)", rx.getMessage());
    final DeviceException tx = assertThrows(DeviceException.class, () ->
        VirtioNet.open(context, DeviceOptions.defaults().withQueues(1, 20)));
    assertEquals(ADDRESS + ": check options: txQueues 20: must be between 1 and 16 (the virtio"
        + " driver drives 16 transmit queues)", tx.getMessage());
    assertEquals(before, listing(sys), "nothing written to the device's sysfs tree");
  }

  /** PCI configuration header of QEMU's legacy virtio-net (1af4:1000, class 02:00). */
  private static byte[] legacyVirtioNetConfig() {
    final byte[] c = new byte[64];
    c[0] = (byte) 0xF4;
    c[1] = 0x1A;
    c[2] = 0x00;
    c[3] = 0x10;
    c[0x0B] = 0x02;
    c[0x2E] = 0x01;
    return c;
  }

  private static List<String> listing(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.map(p -> root.relativize(p) + (Files.isRegularFile(p) ? " " + size(p) : ""))
          .sorted().toList();
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
