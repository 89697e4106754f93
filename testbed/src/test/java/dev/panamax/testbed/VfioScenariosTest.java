package dev.panamax.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * VFIO in the VM (q35 with an emulated Intel IOMMU), where a NIC sees I/O virtual addresses that
 * reach only memory Panamax mapped: send/receive with integrity checks on a virtio NIC behind the
 * IOMMU and an igb, the IOMMU stopping a device that was told to write elsewhere, and receive
 * interrupts through VFIO against busy polling. The physical path keeps its own scenarios: the
 * demo's legacy NICs, the crash scenario and the claim scenario's take-over
 * ({@code --dma physical}).
 */
class VfioScenariosTest {
  private static final int N = 1000;

  @Test
  void virtioModernWithIommuAndIgbDeliverEveryFrameThroughVfio() throws Exception {
    final VmRunner.Result r = VmRunner.run("virtio-modern-iommu,igb", 900,
        "env", "N=" + N, "PPS=1000", "DMA=vfio", "testbed/scenarios/intel-pairs.sh");
    assertEquals(0, r.exitCode(), r.output());
    r.find("RESULT pairs failed=0");
    for (String app : new String[] {"pktgen", "recv"}) {
      r.find("^" + app + ": 0000:01:00.0: DMA through the IOMMU: vfio-pci, IOMMU group \\d+$");
      r.find("^" + app + ": 0000:02:00.0: DMA through the IOMMU: vfio-pci, IOMMU group \\d+$");
    }
    assertEquals(2, count(r.output(), "recv summary: valid " + N + ", corrupt 0, distinct " + N
        + " of " + N + ", duplicates 0, out of range 0, lost 0"), r.output());
    r.find("PAIR virtio-modern-iommu -> igb pktgen=0 recv=0 driver_after_tx=virtio-pci driver_after_rx=igb");
    r.find("PAIR igb -> virtio-modern-iommu pktgen=0 recv=0 driver_after_tx=igb driver_after_rx=virtio-pci");
  }

  @Test
  void theIommuStopsADeviceToldToWriteOutsidePanamaxsMemory() throws Exception {
    final VmRunner.Result r = VmRunner.run("e1000,igb", 600, "testbed/scenarios/confinement.sh");
    assertEquals(0, r.exitCode(), r.output());
    final long frames = r.number("probe: the device reported (\\d+) frames received");
    assertTrue(frames > 0, r.output());
    r.find("probe: the device reported " + frames + " frames received, " + frames + " of them unwritten");
    r.find("probe: canary: 0 of \\d+ bytes changed");
    r.find("RESULT confinement held");
    r.find("DMAR: \\[DMA Write NO_PASID\\] Request device \\[02:00.0\\] fault addr 0x40000[0-9a-f]{5}");
    assertTrue(r.number("RESULT confinement probe=0 dmar_write_faults=(\\d+)") > 0, r.output());
  }

  @Test
  void idleReceiversSleepOnTheirInterruptsAndUseFarLessCpuThanPolling() throws Exception {
    // respond on an igb (MSI) and a virtio NIC behind the IOMMU (MSI-X), each polling and then
    // sleeping on interrupts; the e1000 is the kernel's side that pings.
    final VmRunner.Result r = VmRunner.run("e1000,igb,virtio-modern-iommu", 900, "env",
        "SECONDS_IDLE=6", "COUNT=10", "RESPONDERS=1 2", "testbed/scenarios/interrupts.sh");
    assertEquals(0, r.exitCode(), r.output());
    checkInterrupts(r, "0000:02:00.0", "msi");
    checkInterrupts(r, "0000:03:00.0", "msix");
    r.find("DRIVER 0000:02:00.0 after=igb");
    r.find("DRIVER 0000:03:00.0 after=virtio-pci");
    r.find("RESULT interrupts failed=0");
  }

  /**
   * One NIC's lines: idle CPU polling against sleeping, and interrupts actually delivered (none
   * while polling; a virtio NIC has its MSI-X vector routed from the open on, unused).
   */
  private static void checkInterrupts(VmRunner.Result r, String nic, String type) {
    final String pci = nic.replace(".", "\\.");
    final long poll = r.number("MODE " + pci + " poll idle_cpu_ms=(\\d+) over 6 s; ping=0 0% packet"
        + " loss;.*; vfio_interrupts=0 .*$");
    final long interrupts = r.number("MODE " + pci + " interrupts idle_cpu_ms=(\\d+) over 6 s;"
        + " ping=0 0% packet loss");
    assertTrue(interrupts * 2 < poll, nic + ": interrupts " + interrupts + " ms, polling " + poll
        + " ms:\n" + r.output());
    // The kernel delivered the device's interrupts to the process. A frame that arrives while
    // the responder is still awake (the first echo request right behind the ARP request, or a
    // request while the last reply is still going out in a slow guest) needs none, so the count
    // may fall short of the 10 pings; most pings must still have woken it. Without interrupts
    // the count is 0 and the waits only time out.
    final long delivered = r.number("MODE " + pci + " interrupts .*; vfio_interrupts=(\\d+) vfio-"
        + type + "\\[0\\]\\(" + pci + "\\)$");
    assertTrue(delivered >= 5, nic + ": " + delivered + " interrupts for 10 pings:\n" + r.output());
  }

  private static int count(String text, String line) {
    int n = 0;
    for (int i = text.indexOf(line); i >= 0; i = text.indexOf(line, i + 1)) {
      n++;
    }
    return n;
  }
}
