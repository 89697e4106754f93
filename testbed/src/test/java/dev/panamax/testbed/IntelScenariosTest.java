package dev.panamax.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The e1000 and igb drivers on QEMU's emulated 82540EM and 82576, inside a VM: both directions
 * between them with integrity checks, the NICs' statistics registers against the
 * software counts, promiscuous mode and link status. The igb runs the
 * advanced-descriptor ring that ixgbe shares.
 */
class IntelScenariosTest {
  private static final int N = 2000;
  /** pktgen's frames: 60 bytes without FCS; the octet registers count the 4-byte FCS too. */
  private static final int FRAME = 60;
  private static final int FRAME_ON_WIRE = 64;
  private static final Map<String, String> KERNEL_DRIVER =
      Map.of("e1000", "e1000", "igb", "igb", "virtio-legacy", "virtio-pci");
  private static final Map<String, String> PCI =
      Map.of("e1000", "0000:01:00.0", "igb", "0000:02:00.0", "virtio-legacy", "0000:03:00.0");

  @Test
  void bothDirectionsBetweenE1000AndIgbDeliverEveryFrameIntact() throws Exception {
    // Intel to and from virtio is covered by the demo-shaped fwd test below and the signal and
    // soak scenarios; each open and close through VFIO resets a NIC, which under TCG costs
    // seconds, so this runs the two Intel directions only.
    final VmRunner.Result r = VmRunner.run("e1000,igb", 900,
        "env", "N=" + N, "PPS=2000", "testbed/scenarios/intel-pairs.sh");
    assertEquals(0, r.exitCode(), r.output());
    r.find("RESULT pairs failed=0");
    final String[] sections = r.output().split("(?m)^=== pair ");
    assertEquals(3, sections.length, "two pairs:\n" + r.output());
    for (int i = 1; i < sections.length; i++) {
      checkPair(sections[i]);
    }
  }

  @Test
  void fwdOnE1000AndIgbForwardsEveryFrameIntact() throws Exception {
    // The demo chain with Intel NICs in the middle: pktgen (virtio) -> hub 0 -> fwd e1000 =>
    // igb -> hub 1 -> recv (virtio, promiscuous).
    final VmRunner.Result r = VmRunner.run("virtio-legacy@0,e1000@0,igb@1,virtio-modern@1", 900,
        "env", "N=2000", "PPS=500", "testbed/scenarios/demo.sh");
    assertEquals(0, r.exitCode(), r.output());
    r.find("\\[pktgen\\] pktgen: sent 2000 packets");
    r.find("\\[fwd\\]    fwd 0000:02:00.0 <-> 0000:03:00.0");
    r.find("\\[fwd\\]    fwd: forwarded 2000 packets in [0-9.]+ s \\([0-9.]+ [kMG]?pps\\), dropped 0");
    r.find("\\[recv\\]   recv summary: valid 2000, corrupt 0, distinct 2000 of 2000, duplicates 0,"
        + " out of range 0, lost 0");
    r.find("RESULT pktgen=0 fwd=0 recv=0");
  }

  private static void checkPair(String section) {
    final Matcher m = Pattern.compile("^(\\S+) \\(\\S+\\) -> (\\S+) ").matcher(section);
    assertTrue(m.find(), section);
    final String tx = m.group(1);
    final String rx = m.group(2);
    final VmRunner.Result s = new VmRunner.Result(0, section);
    s.find("PAIR " + tx + " -> " + rx + " pktgen=0 recv=0 driver_after_tx="
        + KERNEL_DRIVER.get(tx) + " driver_after_rx=" + KERNEL_DRIVER.get(rx));
    s.find("recv summary: valid " + N + ", corrupt 0, distinct " + N + " of " + N
        + ", duplicates 0, out of range 0, lost 0");
    // Software counters of both apps.
    s.find("pktgen: sent " + N + " packets; device counters: tx " + N + " packets "
        + (N * FRAME) + " bytes");
    s.find("device counters: rx " + N + " packets " + (N * FRAME) + " bytes, 0 errors");
    // Statistics registers of the Intel side(s) agree with them (octets include the FCS).
    if (!tx.startsWith("virtio")) {
      s.find("hardware counters of " + PCI.get(tx) + " \\(" + tx + "\\): rx \\d+ packets \\d+ bytes,"
          + " tx " + N + " packets " + (N * FRAME_ON_WIRE) + " bytes");
    }
    if (!rx.startsWith("virtio")) {
      s.find("hardware counters of " + PCI.get(rx) + " \\(" + rx + "\\): rx " + N + " packets "
          + (N * FRAME_ON_WIRE) + " bytes, tx 0 packets 0 bytes, missed 0");
      s.find("recv on " + PCI.get(rx) + " \\(" + rx + ", 52:54:00:00:00:1\\d, link up 1000 Mbit/s");
    }
  }

  @Test
  void promiscuousModeDecidesWhetherForeignFramesArrive() throws Exception {
    // NICs 0 (e1000) and 1 (igb) receive without --promisc, 2 (e1000) and 3 (igb) with it, all
    // at once; NIC 4 (igb) sends to a foreign MAC.
    final VmRunner.Result r = VmRunner.run("e1000,igb,e1000,igb,igb", 900,
        "env", "N=1000", "PPS=1000", "testbed/scenarios/intel-promisc.sh");
    assertEquals(0, r.exitCode(), r.output());
    for (String nic : new String[] {"e1000", "igb"}) {
      r.find("PROMISC " + nic + " off valid=0 ");
      // recv was still listening when pktgen had sent everything: it was stopped, not timed out.
      r.find("(?s)=== " + nic + " \\(.*?promiscuous off.*?recv summary: valid 0, [^\\n]*stopped by"
          + " signal[^\\n]*\\n.*?PROMISC " + nic + " off valid=0 ");
      r.find("PROMISC " + nic + " on valid=1000 rc=0");
    }
    r.find("pktgen: sent 1000 packets; device counters: tx 1000 packets");
    r.find("recv on 0000:01:00.0 \\(e1000, 52:54:00:00:00:10, link up 1000 Mbit/s, promiscuous false\\)");
    r.find("recv on 0000:02:00.0 \\(igb, 52:54:00:00:00:11, link up 1000 Mbit/s, promiscuous false\\)");
    r.find("recv on 0000:03:00.0 \\(e1000, 52:54:00:00:00:12, link up 1000 Mbit/s, promiscuous true\\)");
    r.find("recv on 0000:04:00.0 \\(igb, 52:54:00:00:00:13, link up 1000 Mbit/s, promiscuous true\\)");
    // Frames to a foreign address are not counted as good received packets while filtered.
    r.find("hardware counters of 0000:01:00.0 \\(e1000\\): rx 0 packets");
    r.find("hardware counters of 0000:02:00.0 \\(igb\\): rx 0 packets");
    r.find("hardware counters of 0000:03:00.0 \\(e1000\\): rx 1000 packets 64000 bytes");
    r.find("hardware counters of 0000:04:00.0 \\(igb\\): rx 1000 packets 64000 bytes");
    r.find("RESULT promisc failed=0");
  }
}
