package dev.panamax.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Faults from outside the program, driven through QEMU's monitor while Panamax runs in the guest:
 * a NIC taken off the bus, a link that goes down and comes back.
 */
class HotplugScenariosTest {

  @Test
  void aRemovedNicEndsItsAppWithOneClearLineAndSparesTheOtherDevicesAndApps() throws Exception {
    final VmRunner.Result r = VmRunner.runWithMonitor("virtio-legacy,e1000,igb@1,virtio-modern@1",
        900, "testbed/scenarios/surprise-removal.sh");
    assertEquals(0, r.exitCode(), r.output());
    assertFalse(r.output().contains(VmRunner.JVM_FATAL), r.output());
    // fwd saw the e1000 go (through VFIO the kernel asks for it back before it can remove it; on
    // the physical path it reads all ones), said so in one line and exited 1.
    r.find("^fwd exit 1;");
    r.find("\\[fwd\\] panamax fwd: 0000:02:00\\.0: check device: the device stopped answering"
        + " \\((STATUS reads 0xffffffff|RAH\\(0\\) reads 0x[0-9a-f]{8}: Address Valid is clear"
        + "|the kernel asked for it back: it is being removed)\\):"
        + " it was removed from the bus or failed");
    // The other device of the same app was stopped and given back to its kernel driver.
    r.find("after removal 1: 0000:02:00\\.0 present=no, 0000:03:00\\.0 driver=igb \\(was igb\\)");
    // Another app on another NIC was not disturbed, then met the same end on its own NIC.
    r.find("pktgen on 0000:01:00\\.0 still running: yes");
    r.find("\\[pktgen\\] panamax pktgen: 0000:01:00\\.0: check device: the device stopped answering");
    r.find("RESULT fwd=1 pktgen=1 pktgen_survived_removal_1=yes igb_driver=igb e1000_present=no"
        + " virtio_present=no");
  }

  @Test
  void aLinkFlapShowsInTheStatsAndTransmitPushesBackWhileTheLinkIsDown() throws Exception {
    final VmRunner.Result r = VmRunner.runWithMonitor("igb,virtio-modern", 900,
        "env", "N=3000", "PPS=300", "testbed/scenarios/link-flap.sh");
    assertEquals(0, r.exitCode(), r.output());
    // While down: the stats say so, and the device accepted nothing.
    assertTrue(r.number("link_down_lines=(\\d+)") >= 2, r.output());
    r.find("\\[pktgen\\] 0000:01:00\\.0 RX 0 pps 0 bit/s \\| TX 0 pps 0 bit/s \\| link down");
    // Afterwards it sent again, everything it was asked for, and the pool adds up.
    r.find("\\[pktgen\\] pktgen: sent 3000 packets; device counters: tx 3000 packets");
    r.find("\\[pktgen\\] pktgen: pool of 4096 buffers: 4096 free, 0 owned, 0 in flight");
    // Every frame arrived once and intact, but those the NIC had accepted in the moment before
    // the driver saw the link drop (one 10 ms watch interval plus scheduling; QEMU discards
    // what a NIC sends while its link is down): at 300 pps, at most 32.
    final long valid = r.number("recv summary: valid (\\d+), corrupt 0, distinct \\d+ of 3000,"
        + " duplicates 0, out of range 0, lost \\d+");
    final long lost = r.number("recv summary: valid \\d+, corrupt 0, distinct \\d+ of 3000,"
        + " duplicates 0, out of range 0, lost (\\d+)");
    assertEquals(3000, valid + lost, r.output());
    assertTrue(lost <= 32, "lost " + lost + " frames around the link flap:\n" + r.output());
    System.out.println("[link flap] lost " + lost + " of 3000 frames");
    r.find("RESULT pktgen=0 recv=[03] link_down_lines=");
  }
}
