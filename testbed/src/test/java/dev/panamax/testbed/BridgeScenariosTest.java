package dev.panamax.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The bridge app carries the guest kernel's own traffic: two network namespaces, each with a
 * kernel-driven virtio NIC on its own hub, talk through {@code ./panamax bridge} on the two other
 * NICs (scenarios/bridge.sh, short form). The kernels compute and verify every checksum in
 * software, so bytes that iperf3's receiver counts arrived intact.
 */
class BridgeScenariosTest {
  static final String NICS = "virtio-modern@0,virtio-modern@1,virtio-modern@0,virtio-modern@1";

  @Test
  void pingIperf3AndSockperfPassThroughTheBridgeBetweenTwoKernelStacks() throws Exception {
    final VmRunner.Result r = VmRunner.run(NICS, 420, "testbed/scenarios/bridge.sh");
    assertEquals(0, r.exitCode(), r.output());
    r.find("^namespace left: \\S+ \\(0000:03:00\\.0, virtio-pci\\) 10\\.12\\.0\\.1/24$");
    r.find("^namespace right: \\S+ \\(0000:04:00\\.0, virtio-pci\\) 10\\.12\\.0\\.2/24$");
    r.find("^\\[panamax\\] bridge 0000:01:00\\.0 <-> 0000:02:00\\.0, batch 32, frames unchanged,"
        + " promiscuous true/true$");

    // ping: every echo answered.
    r.find("^\\[panamax\\] 100 packets transmitted, 100 received, 0% packet loss");
    r.find("^PING panamax 1 100 100 0%$");

    // iperf3 TCP, 5 s: no error, the receiver counted bytes.
    assertFalse(r.output().contains("iperf3: error"), r.output());
    r.find("^\\[panamax\\] \\[ *\\d+\\] +0\\.00-5\\.\\d+ +sec .* sender$");
    final String receiver = r.find("^\\[panamax\\] (\\[ *\\d+\\] +0\\.00-\\S+ +sec .* receiver)$");
    final long bytes = r.number("^TCP panamax 1 [0-9.]+ (\\d+) \\d+$");
    assertTrue(bytes > 0, "iperf3's receiver counted no bytes: " + receiver);
    System.out.println("bridge scenario: iperf3 " + receiver);

    // sockperf ping-pong for 5 s: none lost. A quiet host gives a few thousand round trips in
    // sockperf's valid window; a host loaded by other VMs as few as 73 (measured).
    final long observations = r.number("^RTT panamax 1 (\\d+) ");
    assertTrue(observations >= 20, "sockperf round trips in its valid window: " + observations);
    r.find("\\[panamax\\] sockperf: # dropped messages = 0; # duplicated messages = 0;"
        + " # out-of-order messages = 0");
    System.out.println("bridge scenario: sockperf "
        + r.find("\\[panamax\\] sockperf: (Summary: Round trip is [0-9.]+ usec)"));

    // The bridge saw both directions and stopped cleanly on SIGTERM.
    final long forwarded = r.number("^\\[panamax\\] bridge: forwarded (\\d+) packets in [0-9.]+ s"
        + " \\([0-9.]+ [kMG]?pps\\), dropped \\d+, stopped by signal$");
    final long ab = r.number("^\\[panamax\\] bridge: 0000:01:00\\.0 -> 0000:02:00\\.0 (\\d+), ");
    final long ba = r.number("^\\[panamax\\] bridge: 0000:01:00\\.0 -> 0000:02:00\\.0 \\d+,"
        + " 0000:02:00\\.0 -> 0000:01:00\\.0 (\\d+)$");
    assertEquals(forwarded, ab + ba);
    assertTrue(ab > 0 && ba > 0, "frames in both directions: " + ab + ", " + ba);
    assertTrue(ab > 1000, "at least the TCP data passed left to right: " + ab);
  }
}
