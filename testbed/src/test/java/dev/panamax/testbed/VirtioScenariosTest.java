package dev.panamax.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The virtio-net driver on QEMU's emulated NICs, inside a VM: packets end to end with integrity
 * checks, forwarding, and every bad-input refusal.
 */
class VirtioScenariosTest {

  @Test
  void pktgenOnLegacyToReceiverOnModernLosesNothing() throws Exception {
    final VmRunner.Result r = VmRunner.run("virtio-legacy,virtio-modern", 600,
        "env", "N=5000", "PPS=1000", "testbed/scenarios/virtio-send-receive.sh");
    assertEquals(0, r.exitCode(), r.output());
    assertEquals("5000", r.find("pktgen: sent (\\d+) packets"));
    assertEquals("5000", r.find("recv summary: valid (\\d+)"));
    // Every sequence number arrived exactly once, intact. (Order is reported, not asserted:
    // QEMU may reorder frames it had to queue while the receiver's ring was full.)
    r.find("recv summary: valid 5000, corrupt 0, distinct 5000 of 5000, duplicates 0,"
        + " out of range 0, lost 0");
    // Both sides' counters agree: packets and bytes sent = packets and bytes received.
    final long txPackets = r.number("device counters: tx (\\d+) packets");
    final long txBytes = r.number("device counters: tx \\d+ packets (\\d+) bytes");
    assertEquals(txPackets, r.number("device counters: rx (\\d+) packets"));
    assertEquals(txBytes, r.number("device counters: rx \\d+ packets (\\d+) bytes"));
    assertEquals(5000L * 60, txBytes);
    // The legacy device is reported as such, the modern one has a MAC from the test bed.
    r.find("recv on 0000:02:00.0 \\(virtio, 52:54:00:00:00:11, link up");
    // Closing gave both devices back to the kernel's virtio driver.
    r.find("RESULT pktgen=0 recv=0 driver_after_tx=virtio-pci driver_after_rx=virtio-pci");
  }

  @Test
  void theDemoForwardsBetweenTwoVirtioNicsAndDeliversEveryFrameIntact() throws Exception {
    // ./panamax demo itself: pktgen -> hub 0 -> fwd -> hub 1 -> recv, on four virtio NICs.
    final VmRunner.Result r = VmRunner.launch(900, java.util.Map.of(
        "PANAMAX_DEMO_FRAMES", "3000", "PANAMAX_DEMO_PPS", "500"), "demo");
    assertEquals(0, r.exitCode(), r.output());
    r.find("\\[pktgen\\] pktgen: sent 3000 packets");
    r.find("\\[fwd\\]    fwd: forwarded 3000 packets in [0-9.]+ s \\([0-9.]+ [kMG]?pps\\), dropped 0");
    r.find("\\[recv\\]   recv summary: valid 3000, corrupt 0, distinct 3000 of 3000, duplicates 0,"
        + " out of range 0, lost 0");
    // The start says why the rate is limited and how to run unthrottled.
    r.find("demo: 3000 frames at 500 pps \\(PANAMAX_DEMO_FRAMES, PANAMAX_DEMO_PPS\\)\\. The rate is"
        + " limited");
    r.find("PANAMAX_DEMO_PPS=0 \\./panamax demo sends as fast as it can");
    // Live stats: one line per second for the whole chain, rates in a unit that shows them;
    // while frames flow, every stage shows a rate above zero.
    final String rate = "[0-9.]+ [kM]?pps";
    r.find("^demo +\\d+ s \\| pktgen 01:00\\.0 TX " + rate + " +\\| fwd 02:00\\.0 RX " + rate
        + " +=> 03:00\\.0 TX " + rate + " +\\| recv 04:00\\.0 RX " + rate + "$");
    final String busy = "[1-9][0-9.]* [kM]?pps";
    r.find("^demo +\\d+ s \\| pktgen 01:00\\.0 TX " + busy + " +\\| fwd 02:00\\.0 RX " + busy
        + " +=> 03:00\\.0 TX " + busy + " +\\| recv 04:00\\.0 RX " + busy + "$");
    assertFalse(r.output().contains("0.00 Mpps"), "rates must not round to zero:\n" + r.output());
    // The closing table: what each app did, its allocation per packet and its exit status.
    r.find("^  pktgen  0000:01:00\\.0 +sent 3000 +[0-9.]+ +0$");
    r.find("^  fwd     0000:02:00\\.0 => 0000:03:00\\.0 +forwarded 3000, dropped 0 +[0-9.]+ +0$");
    r.find("^  recv    0000:04:00\\.0 +valid 3000 of 3000, lost 0, corrupt 0, dup 0 +[0-9.]+ +0$");
    r.find("RESULT pktgen=0 fwd=0 recv=0");
    // Both DMA paths in one chain: the modern NICs through VFIO, the legacy ones announced.
    r.find("fwd: 0000:02:00\\.0: DMA through the IOMMU: vfio-pci, IOMMU group \\d+");
    r.find("recv: 0000:04:00\\.0: DMA through the IOMMU: vfio-pci, IOMMU group \\d+");
    r.find("fwd: 0000:03:00\\.0: warning: DMA with physical addresses, not confined by an IOMMU,"
        + " because a legacy virtio device bypasses the IOMMU");
  }

  @Test
  void badInputIsRefusedWithAClearMessageAndTouchesNothing() throws Exception {
    final VmRunner.Result r = VmRunner.run("virtio-legacy,rtl8139", 900,
        "testbed/scenarios/bad-input.sh");
    refused(r, "malformed", "panamax pktgen: 0000:zz:00.0: parse device spec: invalid PCI address");
    refused(r, "absent", "panamax pktgen: 0000:00:05.0: find device: no such PCI device");
    refused(r, "not-network", "panamax pktgen: 0000:00:1f.2: check device class: class 01:06"
        + " (mass storage controller) is not a network controller");
    refused(r, "unsupported", "panamax pktgen: 0000:02:00.0: select driver: unsupported device"
        + " 10ec:8139; supported: 1af4:1000");
    refused(r, "interface-up", "panamax pktgen: 0000:01:00.0: check kernel interface: interface");
    refused(r, "no-hugepages", "panamax pktgen: 0000:01:00.0: allocate DMA memory:");
    assertEquals("0", r.find("STATE no-hugepages leftover_files=(\\d+)"));
    // The advice counts every page the device needs, not only the first region's.
    r.find("MESSAGE no-hugepages .*; opening this device needs 5 free 2 MiB hugepages in all");
    refused(r, "not-root", "panamax pktgen: 0000:01:00.0: check privileges: running as uid 65534");
    r.find("CHECK good rc=0 before=virtio-pci after=virtio-pci");
    r.find("STATE end hugepages_free=256/256 files=0");
  }

  private static void refused(VmRunner.Result r, String name, String message) {
    final String check = r.find("(CHECK " + name + " rc=\\d+ before=\\S+ after=\\S+)");
    assertTrue(check.contains(" rc=1 "), check + "\n" + r.output());
    final String before = check.replaceAll(".* before=(\\S+) .*", "$1");
    final String after = check.replaceAll(".* after=(\\S+)$", "$1");
    assertEquals(before, after, "binding changed by refused attempt '" + name + "'");
    final String line = r.find("(MESSAGE " + name + " panamax pktgen: .*)");
    assertTrue(line.startsWith("MESSAGE " + name + " " + message), line);
  }
}
