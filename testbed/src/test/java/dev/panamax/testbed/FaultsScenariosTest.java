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
    final VmRunner.Result r = VmRunner.run("e1000,virtio-legacy,igb,virtio-modern,e1000,igb", 600,
        "testbed/scenarios/signals.sh");
    assertEquals(0, r.exitCode(), r.output());
    // 128 + the signal: the JVM's status after its shutdown hooks, which the apps finish in.
    r.find("RESULT app=pktgen signal=INT rc=130");
    r.find("RESULT app=recv signal=TERM rc=143");
    r.find("RESULT app=fwd signal=TERM rc=143");
    r.find("RESULT app=pcap signal=TERM rc=143");
    r.find("RESULT app=respond signal=INT rc=130");

    // Each printed its summary, saying why it stopped.
    final long sent = r.number("pktgen\\| pktgen: sent (\\d+) packets, stopped by signal;"
        + " device counters: tx \\d+ packets");
    assertTrue(sent > 0, "pktgen sent frames before its signal: " + sent);
    assertEquals(sent, r.number("pktgen\\| pktgen: sent \\d+ packets, stopped by signal;"
        + " device counters: tx (\\d+) packets"));
    // pktgen waited for its last frames before closing: recv got every one, intact.
    r.find("recv\\| recv summary: valid " + sent + ", corrupt 0, reordered 0, gaps 0, next expected "
        + sent + ", stopped by signal; device counters: rx " + sent + " packets");
    r.find("fwd\\| fwd: forwarded 0 packets in [0-9.]+ s \\(0.00 Mpps\\), dropped 0, stopped by signal$");
    r.find("pcap\\| pcap summary: 0 packets, 0 bytes written to /run/signals.pcap \\(24 bytes with"
        + " headers\\), stopped by signal; ");
    r.find("respond\\| respond summary: arp replies 0, echo replies 0, ignored 0, tx dropped 0,"
        + " stopped by signal; ");

    // Every NIC is back with the kernel driver it had before.
    for (String[] nic : new String[][] {
        {"pktgen", "0000:01:00.0", "e1000"}, {"recv", "0000:04:00.0", "virtio-pci"},
        {"fwd", "0000:02:00.0", "virtio-pci"}, {"fwd", "0000:03:00.0", "igb"},
        {"pcap", "0000:05:00.0", "e1000"}, {"respond", "0000:06:00.0", "igb"}}) {
      r.find("DRIVER app=" + nic[0] + " nic=" + nic[1] + " before=" + nic[2] + " after=" + nic[2]);
    }
    // Every hugepage is free again and no DMA file is left.
    r.find("HUGEPAGES free=256 total=256 files=0");
  }

  @Test
  void aClaimedDeviceIsRefusedToASecondOpenerInAnotherProcessOrTheSameOne() throws Exception {
    final VmRunner.Result r = VmRunner.run("e1000,igb,e1000", 600, "testbed/scenarios/claim.sh");
    assertEquals(0, r.exitCode(), r.output());
    final String pid = r.find("HOLDER recv pid=(\\d+)");
    // The holder recorded itself in the lock file.
    r.find("LOCK pid=" + pid + " command=dev.panamax.examples/dev.panamax.examples.Main recv"
        + " 0000:01:00.0 --count 200");
    // Another process: refused, naming the holder, nothing touched.
    r.find("CHECK second-process rc=1 before=none after=none");
    r.find("^MESSAGE second-process panamax pktgen: 0000:01:00.0: claim device: in use by PID " + pid
        + " \\(dev.panamax.examples/dev.panamax.examples.Main recv 0000:01:00.0 --count 200"
        + " --seconds 300 --backoff\\); lock /run/panamax/0000:01:00.0.lock$");
    // The same process, the same device spelled two ways: refused; the first instance closed
    // and gave the igb back.
    r.find("CHECK same-process rc=1 before=igb after=igb");
    r.find("^MESSAGE same-process panamax fwd: 0000:02:00.0: claim device: already open in this"
        + " process; one driver instance per device: close the first NetworkDevice or use another"
        + " device$");
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
    // The holder was not disturbed: it received every frame, intact, then released its claim.
    r.find("recv\\| recv summary: valid 200, corrupt 0, distinct 200 of 200, duplicates 0, out of"
        + " range 0, lost 0");
    r.find("RESULT recv=0 driver_after=e1000 lock=\\[\\]");
    r.find("STATE end locks=3 nonempty=0");
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
}
