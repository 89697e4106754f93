package dev.panamax.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Runs the command-line apps in-process on in-memory devices and checks what they print. */
class CommandsTest {
  @Test
  void demoShowsPerSecondStatsAndAVerifiedSummary() {
    final AppRunner.Result r = AppRunner.run("demo", "--seconds", "2", "--batch", "16");
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("pair:demo-out:1 RX "), r.out());
    assertTrue(Pattern.compile("pair:demo-out:1 RX [0-9.]+ [kMG]?pps [0-9.]+ [kMG]?bit/s \\| TX ")
        .matcher(r.out()).find(), r.out());
    final Matcher m = Pattern.compile(
        "generated (\\d+), forwarded (\\d+), verified (\\d+), corrupt 0, reordered 0, lost 0,"
            + " fwd drops 0; pool 4096/4096 free -> OK").matcher(r.out());
    assertTrue(m.find(), r.out());
    final long generated = Long.parseLong(m.group(1));
    assertTrue(generated > 0);
    assertEquals(generated, Long.parseLong(m.group(2)));
    assertEquals(generated, Long.parseLong(m.group(3)));
  }

  @Test
  void pktgenStopsAfterCountOnANullDevice() {
    final AppRunner.Result r = AppRunner.run("pktgen", "null:pg", "--count", "100000", "--batch", "32");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("pktgen: sent 100000 packets"), r.out());
  }

  @Test
  void fwdForwardsExactlyCountBetweenNullDevices() {
    final AppRunner.Result r = AppRunner.run("fwd", "null:f1", "null:f2", "--count", "1000000");
    assertEquals(0, r.code(), r.err());
    final Matcher m = Pattern.compile("forwarded (\\d+) packets").matcher(r.out());
    assertTrue(m.find(), r.out());
    final long n = Long.parseLong(m.group(1));
    assertTrue(n >= 1_000_000 && n < 1_000_000 + 64, "forwarded " + n);
    assertTrue(r.out().contains("dropped 0"), r.out());
  }

  @Test
  void bridgeSetsBothDevicesPromiscuousAndReportsEachDirection() {
    final AppRunner.Result r = AppRunner.run("bridge", "null:br1", "null:br2", "--count", "100000");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("bridge null:br1 <-> null:br2, batch 32, frames unchanged,"
        + " promiscuous true/true"), r.out());
    final Matcher m = Pattern.compile("bridge: forwarded (\\d+) packets in [0-9.]+ s \\([0-9.]+"
        + " [kMG]?pps\\), dropped 0\n").matcher(r.out());
    assertTrue(m.find(), r.out());
    final long n = Long.parseLong(m.group(1));
    assertTrue(n >= 100_000 && n < 100_000 + 64, "forwarded " + n);
    final Matcher d = Pattern.compile("bridge: null:br1 -> null:br2 (\\d+), null:br2 -> null:br1"
        + " (\\d+)\n").matcher(r.out());
    assertTrue(d.find(), r.out());
    assertEquals(n, Long.parseLong(d.group(1)) + Long.parseLong(d.group(2)));
  }

  @Test
  void badDeviceGivesOneClearLineAndExitCode1() {
    final AppRunner.Result r = AppRunner.run("pktgen", "eth0");
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("panamax pktgen: eth0: parse device spec:"), r.err());
    assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
  }

  @Test
  void unknownOptionIsAUsageError() {
    final AppRunner.Result r = AppRunner.run("fwd", "null:a");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("Missing required parameter"), r.err());
  }
}
