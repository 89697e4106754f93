package dev.panamax.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Kotlin flows app through the launcher: in a VM on emulated virtio NICs receiving pktgen's
 * multi-flow traffic, and on the host on an in-memory source (module path and native access).
 */
class KotlinScenariosTest {
  private static final int N = 800;
  private static final int FLOWS = 4;
  private static final int FRAME = 60;

  @Test
  void flowsOnModernVirtioCountsEachOfPktgensFourFlowsExactly() throws Exception {
    final VmRunner.Result r = VmRunner.run("virtio-modern,virtio-legacy", 300,
        "env", "N=" + N, "FLOWS=" + FLOWS, "testbed/scenarios/flows.sh");
    assertEquals(0, r.exitCode(), r.output());
    r.find("RESULT flows=0 pktgen=0 driver_after_rx=virtio-pci driver_after_tx=virtio-pci");
    r.find("pktgen on 0000:02:00.0 \\(virtio, .*\\), batch 32, 60 B frames, 4 flows");
    r.find("pktgen: sent " + N + " packets; device counters: tx " + N + " packets " + N * FRAME
        + " bytes");
    r.find("flows on 0000:01:00.0 \\(virtio, 52:54:00:00:00:10, link up");
    r.find("flows summary: " + FLOWS + " flows, " + N + " packets " + N * FRAME + " bytes \\(" + N
        + " IPv4, 0 other, 0 untracked\\); device counters: rx " + N + " packets " + N * FRAME
        + " bytes, 0 errors");
    // The final top list: every flow has N / FLOWS packets; equal counts rank by source port.
    final String end = r.find("(?s)top 4 of 4 flows at the end \\(by packets, then bytes\\):\\n(.*)");
    final Matcher line = Pattern.compile(
        "^ +(\\d)\\. udp 10\\.0\\.0\\.1:(\\d+) -> 10\\.0\\.0\\.2:1337 +(\\d+) packets +(\\d+) bytes$",
        Pattern.MULTILINE).matcher(end);
    for (int i = 0; i < FLOWS; i++) {
      assertTrue(line.find(), "flow " + (i + 1) + " in:\n" + end);
      assertEquals(List.of(String.valueOf(i + 1), String.valueOf(42 + i), String.valueOf(N / FLOWS),
          String.valueOf(N / FLOWS * FRAME)),
          List.of(line.group(1), line.group(2), line.group(3), line.group(4)));
    }
    // Periodic reports while frames arrived: the device's rates, then the top flows so far.
    r.find("0000:01:00\\.0 RX [0-9.]+ [kMG]?pps [0-9.]+ [kMG]?bit/s");
    r.find("top \\d of \\d flows after \\d+\\.\\d s");
  }

  @Test
  void theLauncherRunsFlowsOnTheModulePathOnTheHost() throws Exception {
    final VmRunner.Result r = VmRunner.launch(120, Map.of(),
        "flows", "null:source", "--count", "1000000", "--interval", "0");
    assertEquals(0, r.exitCode(), r.output());
    r.find("flows on null:source \\(null, ");
    // A null device's frames are zeros: no IPv4, no flow.
    r.find("flows summary: 0 flows, 1000000 packets 60000000 bytes \\(0 IPv4, 1000000 other,"
        + " 0 untracked\\); device counters: rx 1000000 packets 60000000 bytes, 0 errors");
    r.find("flows: \\d+ B allocated in the data path over 1000000 packets");
  }
}
