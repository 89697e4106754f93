package dev.panamax.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Faults in a VM: apps stopped by a signal, a device claimed twice, a device whose kernel
 * interface has addresses, frames that never leave, and a driver process killed while its NIC
 * can still write to memory.
 */
class FaultsScenariosTest {

  @Test
  void everyAppStopsItsDevicesAndPrintsItsSummaryOnSigintOrSigterm() throws Exception {
    final VmRunner.Result r = VmRunner.run(
        "e1000,virtio-legacy,igb,virtio-modern,e1000,igb,virtio-legacy", 600, "testbed/scenarios/signals.sh");
    assertEquals(0, r.exitCode(), r.output());
    // 128 + the signal: the JVM's status after its shutdown hooks, which the apps finish in.
    r.find("RESULT app=pktgen signal=INT rc=130");
    r.find("RESULT app=recv signal=TERM rc=143");
    r.find("RESULT app=fwd signal=TERM rc=143");
    r.find("RESULT app=pcap signal=TERM rc=143");
    r.find("RESULT app=respond signal=INT rc=130");
    r.find("RESULT app=flows signal=TERM rc=143");

    // Each printed its summary, saying why it stopped.
    final long sent = r.number("pktgen\\| pktgen: sent (\\d+) packets, stopped by signal;"
        + " device counters: tx \\d+ packets");
    assertTrue(sent > 0, "pktgen sent frames before its signal: " + sent);
    assertEquals(sent, r.number("pktgen\\| pktgen: sent \\d+ packets, stopped by signal;"
        + " device counters: tx (\\d+) packets"));
    // pktgen waited for its last frames before closing: recv got every one, intact.
    r.find("recv\\| recv summary: valid " + sent + ", corrupt 0, reordered 0, gaps 0, next expected "
        + sent + ", stopped by signal; device counters: rx " + sent + " packets");
    r.find("fwd\\| fwd: forwarded 0 packets in [0-9.]+ s \\(0 pps\\), dropped 0, stopped by signal$");
    r.find("pcap\\| pcap summary: 0 packets, 0 bytes written to /run/signals.pcap \\(24 bytes with"
        + " headers\\), stopped by signal; ");
    r.find("respond\\| respond summary: arp replies 0, echo replies 0, ignored 0, tx dropped 0,"
        + " stopped by signal; ");
    r.find("flows\\| flows summary: \\d+ flows, \\d+ packets \\d+ bytes \\(.*\\), stopped by signal;"
        + " device counters: rx \\d+ packets");

    // Every NIC is back with the kernel driver it had before.
    for (String[] nic : new String[][] {
        {"pktgen", "0000:01:00.0", "e1000"}, {"recv", "0000:04:00.0", "virtio-pci"},
        {"fwd", "0000:02:00.0", "virtio-pci"}, {"fwd", "0000:03:00.0", "igb"},
        {"pcap", "0000:05:00.0", "e1000"}, {"respond", "0000:06:00.0", "igb"},
        {"flows", "0000:07:00.0", "virtio-pci"}}) {
      r.find("DRIVER app=" + nic[0] + " nic=" + nic[1] + " before=" + nic[2] + " after=" + nic[2]);
    }
    // Every hugepage is free again, no DMA file and no handover record is left.
    r.find("HUGEPAGES free=256 total=256 files=0 records=0");
  }

  @Test
  void aClaimedDeviceIsRefusedToASecondOpenerInAnotherProcessOrTheSameOne() throws Exception {
    final VmRunner.Result r = VmRunner.run("e1000,igb,e1000", 600, "testbed/scenarios/claim.sh");
    assertEquals(0, r.exitCode(), r.output());
    final String pid = r.find("HOLDER recv pid=(\\d+)");
    // The holder recorded itself in the lock file.
    r.find("LOCK pid=" + pid + " command=dev.panamax.examples/dev.panamax.examples.Main recv"
        + " 0000:01:00.0 --count 200");
    // Another process: refused, naming the holder, nothing touched (the holder drives the NIC
    // through VFIO, so it is bound to vfio-pci while held).
    r.find("CHECK second-process rc=1 before=vfio-pci after=vfio-pci");
    r.find("^MESSAGE second-process panamax pktgen: 0000:01:00.0: claim device: in use by PID " + pid
        + " \\(dev.panamax.examples/dev.panamax.examples.Main recv 0000:01:00.0 --count 200"
        + " --seconds 300 --backoff\\); lock /run/panamax/0000:01:00.0.lock$");
    // The same process, the same device spelled two ways: fwd's option check refuses it before
    // anything is opened (the in-process claim behind it is tested in DefaultProviderTest); the
    // igb was not touched.
    r.find("CHECK same-process rc=1 before=igb after=igb");
    r.find("^MESSAGE same-process panamax fwd: DEV2 0000:02:00.0: the same device as DEV1; give"
        + " two different devices$");
    // A down interface with addresses: refused, naming them; they are still there.
    r.find("CHECK addresses rc=1 before=e1000 after=e1000");
    final String iface = r.find("STATE addresses iface=(\\S+) ");
    r.find("^MESSAGE addresses panamax pktgen: 0000:03:00.0: check kernel interface: interface "
        + iface + " is down but has addresses (10.9.0.1/24, fd00:0:0:0:0:0:0:5/64|"
        + "fd00:0:0:0:0:0:0:5/64, 10.9.0.1/24), which would be lost when the device leaves its"
        + " kernel driver; clear them first \\('ip addr flush dev " + iface + "'\\) or choose"
        + " another device$");
    r.find("STATE addresses iface=" + iface + " flags=0x1002 inet=10.9.0.1/24 inet6=fd00::5/64 ");
    // vfio-pci: refused unless asked for by name, and bound back after use.
    r.find("CHECK vfio-refused rc=1 before=vfio-pci after=vfio-pci");
    r.find("^MESSAGE vfio-refused panamax pktgen: 0000:03:00.0: check kernel driver: bound to"
        + " vfio-pci, which hands the device to a user-space program .* --take-over-from vfio-pci");
    r.find("CHECK vfio-taken rc=0 before=vfio-pci after=vfio-pci");
    r.find("MESSAGE vfio-taken pktgen: sent 200 packets");
    // Through VFIO the kernel makes the group exclusive: refused while the shell holds it open,
    // opened as it is once free, and left with vfio-pci.
    r.find("CHECK group-busy rc=1 before=vfio-pci after=vfio-pci");
    r.find("^MESSAGE group-busy panamax pktgen: 0000:03:00.0: open through VFIO: IOMMU group \\d+"
        + " is open in another process \\(another Panamax app, DPDK or a VM\\): open /dev/vfio/\\d+:"
        + " EBUSY \\(in use\\)$");
    r.find("CHECK group-free rc=0 before=vfio-pci after=vfio-pci");
    r.find("MESSAGE group-free pktgen: 0000:03:00.0: DMA through the IOMMU: vfio-pci, IOMMU group \\d+");
    r.find("MESSAGE group-free pktgen: sent 1 packets");
    // The holder was not disturbed: it received every frame, intact, then released its claim.
    r.find("recv\\| recv summary: valid 200, corrupt 0, distinct 200 of 200, duplicates 0, out of"
        + " range 0, lost 0");
    r.find("RESULT recv=0 driver_after=e1000 lock=\\[\\]");
    // Lock files stay (empty) for the two devices that were claimed: NIC 0 (the holder) and NIC 2
    // (the address refusal and the vfio take-over); fwd refused NIC 1 before claiming it.
    r.find("STATE end locks=2 nonempty=0");
  }

  @Test
  void pktgenCountsOnlyWhatTheDeviceTransmittedAndFailsWhenFramesStayQueued() throws Exception {
    // One virtio NIC alone on its hub: QEMU queues what it transmits, nothing completes.
    final VmRunner.Result r = VmRunner.run("virtio-legacy", 300, "testbed/scenarios/unsent.sh");
    assertEquals(0, r.exitCode(), r.output());
    r.find("^pktgen: 100 of the last 100 frames still queued on the device after 1 s without"
        + " progress; closing the device drops them$");
    r.find("^pktgen: sent 0 packets, 100 more accepted by the device but never transmitted"
        + " \\(dropped when it was closed\\); device counters: tx 100 packets 6000 bytes$");
    r.find("RESULT pktgen=3 driver_after=virtio-pci hugepages_free=256/256");
  }

  @Test
  void aKilledDriversNicsWriteOnlyIntoTheFilesItKeptAndRecoveryResetsThem() throws Exception {
    final VmRunner.Result r = VmRunner.run("e1000,virtio-modern,igb", 900, "testbed/scenarios/crash.sh");
    assertEquals(0, r.exitCode(), r.output());
    r.find("KILLED recv e1000 rc=137 virtio rc=137");
    // Killed with their devices open: the NICs stay unbound, their DMA files and records stay.
    final long kept = 256 - r.number("STATE killed free=(\\d+)/256 driver_e1000=none driver_virtio=none");
    final String e1000Pid = r.find("FILE \\d+ /dev/hugepages/panamax/0000:01:00.0-(\\d+)-rings");
    final String virtioPid = r.find("FILE \\d+ /dev/hugepages/panamax/0000:02:00.0-(\\d+)-rings");
    r.find("FILE \\d+ /dev/hugepages/panamax/0000:01:00.0-" + e1000Pid + "-rx");
    r.find("FILE \\d+ /dev/hugepages/panamax/0000:02:00.0-" + virtioPid + "-rx");
    r.find("RECORD /run/panamax/0000:01:00.0.driver driver=e1000 pid=" + e1000Pid);
    r.find("RECORD /run/panamax/0000:02:00.0.driver driver=virtio-pci pid=" + virtioPid);
    assertTrue(kept > 0, "the dead process's hugepages stay reserved: " + kept);

    // The bystander took every other hugepage; not one of its words changed...
    assertEquals(256 - kept, r.number("bystander: took (\\d+) free hugepages"));
    r.find("STATE bystander free=0/256");
    r.find("bystander: \\d+ words checked, 0 changed");
    r.find("RESULT bystander=0");
    // ...although both NICs kept receiving after their driver died: the frames are in the
    // files it kept (the e1000 filled its 511 free descriptors, the virtio NIC its 256).
    assertEquals(511, r.number("kept /dev/hugepages/panamax/0000:01:00.0-\\d+-rx: (\\d+) frames from"
        + " 52:54:00:00:00:12"));
    assertTrue(r.number("kept /dev/hugepages/panamax/0000:02:00.0-\\d+-rx: (\\d+) frames from"
        + " 52:54:00:00:00:12") > 0);

    // Recovery: reset first, then the files go, then the original driver comes back.
    r.find("RESULT recover=0");
    r.find("^recover 0000:01:00.0: recovered the device left by PID " + e1000Pid + " \\(no longer"
        + " running\\): bus mastering off, device reset, 2 stale DMA files \\(\\d+ MiB\\) deleted,"
        + " bound to e1000$");
    r.find("RESULT reopen=0");
    r.find("^panamax: 0000:02:00.0: recovered the device left by PID " + virtioPid + " \\(no longer"
        + " running\\): bus mastering off, device reset, 2 stale DMA files \\(\\d+ MiB\\) deleted$");
    r.find("STATE end free=256/256 driver_e1000=e1000 driver_virtio=virtio-pci files=0 records=0");
  }

  @Test
  void aKilledDriversNicThroughVfioIsStoppedByTheKernelAndItsMemoryFreedAtOnce() throws Exception {
    final VmRunner.Result r = VmRunner.run("igb,e1000", 600, "testbed/scenarios/crash-vfio.sh");
    assertEquals(0, r.exitCode(), r.output());
    r.find("^recv: 0000:01:00.0: DMA through the IOMMU: vfio-pci, IOMMU group \\d+$");
    r.find("STATE running bus_master=1 driver=vfio-pci");
    r.find("KILLED recv rc=137");
    // The kernel closed the dead process's VFIO files: bus mastering off, memory back at once,
    // nothing kept.
    r.find("STATE killed free=256/256 bus_master=0 driver=vfio-pci files=0");
    // The bystander took every hugepage, frames were sent to the dead NIC, and no word changed.
    r.find("STATE bystander free=0/256");
    r.find("bystander: took 256 free hugepages");
    r.find("bystander: \\d+ words checked, 0 changed");
    r.find("RESULT bystander=0");
    // The next open says what happened and gives the NIC back to its kernel driver on close.
    r.find("RESULT reopen=0");
    r.find("^panamax: 0000:01:00.0: recovered the device left by PID \\d+ \\(no longer running\\):"
        + " vfio-pci stopped it when that process died \\(bus mastering off, function reset\\)");
    r.find("STATE end free=256/256 driver=igb records=0");
  }
}
