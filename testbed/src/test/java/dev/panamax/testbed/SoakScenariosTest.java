package dev.panamax.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The short form of the soak (testbed/scenarios/soak.sh): pktgen, fwd between an e1000 and an
 * igb, and a verifying receiver for a minute, with memory sampled every 10 s. The long form
 * (10 minutes) is a documented command with its figures in docs/performance.md.
 */
class SoakScenariosTest {
  /** Frames per second of the short soak: a rate the guest sustains with three JVMs busy. */
  static final int SOAK_PPS = 500;

  @Test
  void aOneMinuteSoakLosesNothingCorruptsNothingAndDoesNotGrowInMemory() throws Exception {
    final int seconds = 60;
    final long n = (long) seconds * SOAK_PPS;
    final VmRunner.Result r = VmRunner.run("virtio-legacy,e1000,igb@1,virtio-modern@1", 1200,
        "env", "DURATION=" + seconds, "PPS=" + SOAK_PPS, "INTERVAL=10", "testbed/scenarios/soak.sh");
    assertEquals(0, r.exitCode(), r.output());
    r.find("\\[recv\\] recv summary: valid " + n + ", corrupt 0, distinct " + n + " of " + n
        + ", duplicates 0, out of range 0, lost 0");
    r.find("\\[fwd\\] fwd: forwarded " + n + " packets in [0-9.]+ s \\([0-9.]+ [kM]?pps\\), dropped 0");
    r.find("\\[pktgen\\] pktgen: sent " + n + " packets");
    // Memory: hugepages in use are the same in every sample and back to the start afterwards;
    // no app's heap grows by more than 32 MiB from its first sample to its last.
    final Matcher m = Pattern.compile(
        "^SAMPLE t=(\\d+)s hugepages_in_use=(\\d+)MiB heap_pktgen=([0-9.]+)MiB heap_fwd=([0-9.]+)MiB"
            + " heap_recv=([0-9.]+)MiB", Pattern.MULTILINE).matcher(r.output());
    final List<double[]> samples = new ArrayList<>();
    while (m.find()) {
      samples.add(new double[] {Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
          Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5))});
    }
    assertTrue(samples.size() >= 4, "too few samples:\n" + r.output());
    for (double[] s : samples) {
      assertEquals(samples.get(0)[0], s[0], "hugepages in use changed:\n" + r.output());
    }
    for (int app = 1; app <= 3; app++) {
      final double growth = samples.get(samples.size() - 1)[app] - samples.get(0)[app];
      assertTrue(growth < 32, "heap of app " + app + " grew by " + growth + " MiB:\n" + r.output());
    }
    assertEquals(r.number("hugepages in use before the apps: (\\d+) MiB"),
        r.number("hugepages in use after the apps: (\\d+) MiB"), r.output());
    r.find("RESULT pktgen=0 fwd=0 recv=0");
  }
}
