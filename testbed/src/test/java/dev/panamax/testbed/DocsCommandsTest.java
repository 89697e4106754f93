package dev.panamax.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every {@code ./panamax} and {@code testbed/vm.sh} command in a shell block of README.md or
 * docs/ is run by a test.
 * {@link #HOW} says how for each; a documented command missing from it fails
 * {@link #everyDocumentedCommandIsExercised}. The commands that run on the host run here.
 */
class DocsCommandsTest {
  /** Run by this class on the host, exit status 0 expected. */
  static final String HOST = "host";
  /** A JMH command: run here with its arguments plus short iterations (see {@link #shortBench}). */
  static final String BENCH = "bench";
  /** Inside a run-in-vm block, or a {@code ./panamax vm} command: {@link DocsScenariosTest}. */
  static final String VM = "vm";

  /** How each documented command is exercised: HOST, BENCH, VM, or "Class#method". */
  static final Map<String, String> HOW = new LinkedHashMap<>();

  static {
    HOW.put("./panamax test", "ci");
    HOW.put("./panamax demo", "VirtioScenariosTest#theDemoForwardsBetweenTwoVirtioNicsAndDeliversEveryFrameIntact");
    HOW.put("./panamax demo --local --seconds 3", HOST);
    HOW.put("./panamax build -pl bom,checkers,impl,kotlin -am", HOST);
    HOW.put("./panamax pktgen null:a --count 100000 --jfr /tmp/pktgen.jfr", HOST);
    HOW.put("PANAMAX_JAVA_OPTS=-XX:StartFlightRecording:filename=/tmp/fwd.jfr ./panamax fwd null:a"
        + " null:b --count 100000", HOST);
    HOW.put("PANAMAX_JAVA_OPTS=\"-XX:+UnlockExperimentalVMOptions -XX:+UseEpsilonGC -Xms32m -Xmx32m"
        + " -Xlog:gc\" ./panamax fwd null:a null:b --count 100000000", HOST);
    HOW.put("./panamax bench -prof gc", BENCH);
    HOW.put("./panamax bench -prof gc -wi 3 -i 5 -f 1", BENCH);
    HOW.put("./panamax vm --nics e1000,igb -- ./panamax pktgen 0000:01:00.0 --count 100", VM);
    HOW.put("./panamax pcap 0000:02:00.0 /run/capture.pcap 500 --seconds 150 --idle 20 --backoff",
        "AppsScenariosTest#pcapWritesEveryFrameAndTsharkReadsThemBackIntact");
    HOW.put("./panamax pktgen 0000:01:00.0 --count 500 --pps 500 --size 98 --dst 52:54:00:00:00:11"
        + " --batch 32 --backoff", "AppsScenariosTest#pcapWritesEveryFrameAndTsharkReadsThemBackIntact");
    HOW.put("./panamax respond 0000:02:00.0 10.11.0.2 --seconds 150 --backoff",
        "AppsScenariosTest#respondAnswersEveryPingFromTheGuestKernel");
    HOW.put("testbed/vm.sh --nics virtio-modern@0,virtio-modern@1,virtio-modern@0,virtio-modern@1"
        + " --timeout 900 -- testbed/scenarios/compare-dpdk.sh",
        "DocsScenariosTest#dpdkComparisonRunsInShortForm");
    HOW.put("testbed/vm.sh --nics virtio-modern@0,virtio-modern@1,virtio-modern@0,virtio-modern@1"
        + " --timeout 420 -- testbed/scenarios/bridge.sh",
        "BridgeScenariosTest#pingIperf3AndSockperfPassThroughTheBridgeBetweenTwoKernelStacks");
    // The three-forwarder comparison (~25 min) runs in short form (Panamax only) in the same test.
    HOW.put("testbed/vm.sh --nics virtio-modern@0,virtio-modern@1,virtio-modern@0,virtio-modern@1"
        + " --timeout 3000 --log /tmp/bridge.log -- testbed/scenarios/bridge.sh --rounds 3",
        "BridgeScenariosTest#pingIperf3AndSockperfPassThroughTheBridgeBetweenTwoKernelStacks");
    // The long soak (10 min) runs in short form (60 s) in SoakScenariosTest.
    HOW.put("testbed/vm.sh --nics virtio-legacy,e1000,igb@1,virtio-modern@1 --timeout 2400 --"
        + " env DURATION=600 PPS=1000 INTERVAL=60 testbed/scenarios/soak.sh",
        "SoakScenariosTest#aOneMinuteSoakLosesNothingCorruptsNothingAndDoesNotGrowInMemory");
    HOW.put("testbed/vm.sh --nics virtio-legacy,igb --timeout 420 -- env N=500 PPS=500 SIZE=98"
        + " testbed/scenarios/pcap.sh", "AppsScenariosTest#pcapWritesEveryFrameAndTsharkReadsThemBackIntact");
    HOW.put("testbed/vm.sh --nics e1000,igb --timeout 420 -- env COUNT=20 testbed/scenarios/respond.sh",
        "AppsScenariosTest#respondAnswersEveryPingFromTheGuestKernel");
    HOW.put("testbed/vm.sh --nics virtio-modern,virtio-legacy --timeout 300 -- env N=800 FLOWS=4"
        + " testbed/scenarios/flows.sh", "KotlinScenariosTest#flowsOnModernVirtioCountsEachOfPktgensFourFlowsExactly");
    HOW.put("./panamax recover 0000:01:00.0",
        "FaultsScenariosTest#aKilledDriversNicsWriteOnlyIntoTheFilesItKeptAndRecoveryResetsThem");
    HOW.put("./panamax bind 0000:01:00.0 0000:02:00.0 --user nobody",
        "NonRootScenariosTest#afterBindNobodyRunsRecvAndPktgenThroughTheIommuAndUnbindRestoresTheDrivers");
    HOW.put("setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all"
        + " ./panamax recv 0000:01:00.0 --count 300 --seconds 200 --idle 30 --backoff > /tmp/recv.log"
        + " 2>&1 &", "NonRootScenariosTest#afterBindNobodyRunsRecvAndPktgenThroughTheIommuAndUnbindRestoresTheDrivers");
    HOW.put("setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all"
        + " ./panamax pktgen 0000:02:00.0 --count 300 --pps 300 --backoff --dst 52:54:00:00:00:10"
        + " > /tmp/pktgen.log 2>&1 &", "NonRootScenariosTest#afterBindNobodyRunsRecvAndPktgenThroughTheIommuAndUnbindRestoresTheDrivers");
    HOW.put("./panamax unbind 0000:01:00.0 0000:02:00.0",
        "NonRootScenariosTest#afterBindNobodyRunsRecvAndPktgenThroughTheIommuAndUnbindRestoresTheDrivers");
    HOW.put("./panamax flows null:source --count 1000000 --interval 0",
        "KotlinScenariosTest#theLauncherRunsFlowsOnTheModulePathOnTheHost");
    HOW.put("./panamax flows 0000:01:00.0 --count 800 --seconds 150 --idle 20 --interval 2 --backoff",
        "KotlinScenariosTest#flowsOnModernVirtioCountsEachOfPktgensFourFlowsExactly");
    HOW.put("./panamax pktgen 0000:02:00.0 --flows 4 --count 800 --pps 400 --dst 52:54:00:00:00:10"
        + " --batch 32 --backoff", "KotlinScenariosTest#flowsOnModernVirtioCountsEachOfPktgensFourFlowsExactly");
  }

  @Test
  void everyDocumentedCommandIsExercised() throws Exception {
    final List<String> missing = new ArrayList<>();
    int commands = 0;
    for (DocBlocks.Block block : DocBlocks.shellBlocks(VmRunner.root())) {
      for (String command : block.commands()) {
        commands++;
        if (block.runInVm()) {
          continue;
        }
        final String how = HOW.get(command);
        if (how == null) {
          missing.add(block.file() + ":" + block.line() + ": " + command);
        } else if (how.contains("#")) {
          assertTestExists(how);
        } else if (how.equals("ci")) {
          final String ci = Files.readString(VmRunner.root().resolve(".ci/run"));
          assertTrue(ci.contains(command), ".ci/run does not run " + command);
        }
      }
    }
    assertTrue(commands >= HOW.size(), "found only " + commands + " documented commands");
    assertEquals(List.of(), missing,
        "documented commands that no test runs (add them to DocsCommandsTest.HOW)");
  }

  @Test
  void everyRegisteredCommandIsStillDocumented() throws Exception {
    final List<String> documented = new ArrayList<>();
    for (DocBlocks.Block block : DocBlocks.shellBlocks(VmRunner.root())) {
      documented.addAll(block.commands());
    }
    for (String command : HOW.keySet()) {
      assertTrue(documented.contains(command), "no longer documented: " + command);
    }
  }

  @Test
  void hostCommandsRunAsDocumented() throws Exception {
    for (Map.Entry<String, String> e : HOW.entrySet()) {
      if (e.getValue().equals(HOST)) {
        run(e.getKey(), 900);
      }
    }
  }

  @Test
  void benchCommandsRunInShortForm() throws Exception {
    for (Map.Entry<String, String> e : HOW.entrySet()) {
      if (e.getValue().equals(BENCH)) {
        final String out = run(shortBench(e.getKey()), 900);
        assertTrue(out.contains("PairForwardBenchmark"), out);
        assertTrue(out.contains("gc.alloc.rate.norm"), out);
      }
    }
  }

  /**
   * The documented JMH arguments plus 100 ms warm-up and measurement iterations, one batch size,
   * and one fork, one warm-up and one measured iteration where the command does not set them.
   */
  static String shortBench(String command) {
    final StringBuilder s = new StringBuilder(command).append(" -w 100ms -r 100ms -p batch=32");
    if (!command.contains(" -f ")) {
      s.append(" -f 1");
    }
    if (!command.contains(" -wi ")) {
      s.append(" -wi 1");
    }
    if (!command.contains(" -i ")) {
      s.append(" -i 1");
    }
    return s.toString();
  }

  private static void assertTestExists(String how) throws ClassNotFoundException {
    final String[] parts = how.split("#", 2);
    final Class<?> type = Class.forName("dev.panamax.testbed." + parts[0]);
    for (var method : type.getDeclaredMethods()) {
      if (method.getName().equals(parts[1]) && method.isAnnotationPresent(Test.class)) {
        return;
      }
    }
    fail("no @Test " + how);
  }

  private static String run(String command, int timeoutSeconds)
      throws IOException, InterruptedException {
    final ProcessBuilder pb = new ProcessBuilder("sh", "-c", command)
        .directory(VmRunner.root().toFile()).redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("PANAMAX_NO_BUILD", "1");
    final Process p = pb.start();
    final byte[][] out = new byte[1][];
    final Thread reader = Thread.ofVirtual().start(() -> {
      try {
        out[0] = p.getInputStream().readAllBytes();
      } catch (IOException e) {
        out[0] = e.toString().getBytes(StandardCharsets.UTF_8);
      }
    });
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("'" + command + "' did not finish within " + timeoutSeconds + " s");
    }
    reader.join(10_000);
    final String text = out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8);
    System.out.println("[docs] $ " + command + "\n" + text);
    assertEquals(0, p.exitValue(), "'" + command + "' failed:\n" + text);
    return text;
  }
}
