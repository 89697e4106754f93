package dev.panamax.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The documented commands that need a VM, run as they stand in the docs. */
class DocsScenariosTest {
  /**
   * Each block marked run-in-vm runs with {@code sh -e} in a guest with the NICs its marker
   * names; it must exit 0. Today that is getting-started's real-NIC walk-through, whose recv
   * must then report every frame intact.
   */
  @Test
  void runInVmBlocksSucceedAsWritten() throws Exception {
    final List<DocBlocks.Block> blocks = DocBlocks.shellBlocks(VmRunner.root()).stream()
        .filter(DocBlocks.Block::runInVm).toList();
    assertFalse(blocks.isEmpty(), "no run-in-vm block in the docs");
    final Path dir = VmRunner.root().resolve("testbed/target/doc-blocks");
    Files.createDirectories(dir);
    for (DocBlocks.Block block : blocks) {
      final String name = block.file().getFileName().toString().replace(".md", "")
          + "-" + block.line() + ".sh";
      final Path script = dir.resolve(name);
      Files.writeString(script, block.text() + "\n", StandardCharsets.UTF_8);
      // As `./panamax vm` runs a command: the apps from the last build (the tree is read-only).
      final VmRunner.Result r = VmRunner.run(block.vmNics(), 900,
          "env", "PANAMAX_NO_BUILD=1", "sh", "-e", script.toString());
      assertEquals(0, r.exitCode(), block.file() + ":" + block.line() + " failed:\n" + r.output());
      if (block.text().contains("./panamax recv ")) {
        r.find("recv summary: valid 1000, corrupt 0, distinct 1000 of 1000, duplicates 0,"
            + " out of range 0, lost 0");
        r.find("pktgen: sent 1000 packets");
        r.find("recv: every frame arrived");
      }
    }
  }

  /** Every documented {@code ./panamax vm ...} command boots its guest and exits 0. */
  @Test
  void documentedVmCommandsSucceed() throws Exception {
    int ran = 0;
    for (Map.Entry<String, String> e : DocsCommandsTest.HOW.entrySet()) {
      if (!e.getValue().equals(DocsCommandsTest.VM)) {
        continue;
      }
      final String[] words = e.getKey().substring("./panamax ".length()).split(" ");
      final VmRunner.Result r = VmRunner.launch(600, Map.of(), words);
      assertEquals(0, r.exitCode(), e.getKey() + " failed:\n" + r.output());
      if (e.getKey().contains(" pktgen ") && e.getKey().endsWith("--count 100")) {
        r.find("pktgen: sent 100 packets; device counters: tx 100 packets 6000 bytes");
      }
      ran++;
    }
    assertFalse(ran == 0, "no documented ./panamax vm command");
  }

  /**
   * performance.md's DPDK comparison as documented (transmit only, four NICs) but short: one
   * round of 3 s per generator and no warm-up (the documented run takes two rounds of 20 s),
   * pktgen with light frames. Both generators must send and the scenario must print its pooled
   * rates and their ratio. Then, in the same boot, the A/B form (OLD: a second build takes DPDK's
   * place; here this build against itself): both builds must send and the ratio be this build
   * over the old one.
   */
  @Test
  void dpdkComparisonRunsInShortForm() throws Exception {
    final String common = "DURATION=3 ROUNDS=1 WARMUP=0 LIGHT=1 testbed/scenarios/compare-dpdk.sh";
    final VmRunner.Result r = VmRunner.run(
        "virtio-modern@0,virtio-modern@1,virtio-modern@0,virtio-modern@1", 900,
        "sh", "-c", "env " + common + " && echo '=== A/B' && env OLD=\"$PWD\" " + common);
    assertEquals(0, r.exitCode(), r.output());
    final String[] parts = r.output().split("=== A/B\n", 2);
    assertEquals(2, parts.length, r.output());
    r.find("modes tx; 1 rounds x 3 s each, 60 B frames, burst/batch 64, pktgen --light");
    r.find("sink: NIC 2 .* up");
    r.find("sink: NIC 3 .* up");
    r.find("\\[panamax\\] pktgen on .*, light frames");
    final VmRunner.Result vs = new VmRunner.Result(0, parts[0]);
    final long panamax = vs.number("RATE tx panamax (\\d+)");
    final long dpdk = vs.number("RATE tx dpdk (\\d+)");
    assertTrue(panamax > 0 && dpdk > 0, r.output());
    vs.find("RATIO tx [0-9.]+");
    final VmRunner.Result ab = new VmRunner.Result(0, parts[1]);
    assertTrue(ab.number("RATE tx panamax (\\d+)") > 0, parts[1]);
    assertTrue(ab.number("RATE tx old (\\d+)") > 0, parts[1]);
    ab.find("\\[old\\] pktgen on .*, light frames");
    ab.find("=== summary: this build / the old one");
    ab.find("RATIO tx [0-9.]+");
  }

  /**
   * performance.md's DPDK comparison, as documented but short, in the modes the four-NIC form
   * above does not cover: recv --light against rxonly and fwd against mac forwarding, both fed by
   * a testpmd txonly on a fifth NIC, one round of 3 s per program and no warm-up (the documented
   * run takes three rounds of 20 s). Both programs must move packets in each mode and the
   * scenario must print its pooled rates and their ratios, and for each run its rate per 10 s.
   * (The A/B form runs with the four-NIC form above.)
   */
  @Test
  void dpdkComparisonRunsInShortFormForReceiveAndForwarding() throws Exception {
    final String m = "virtio-modern";
    final VmRunner.Result r = VmRunner.run(
        m + "@0," + m + "@0," + m + "@1," + m + "@1," + m + "@0,virtio-modern@1,virtio-modern@0", 900,
        "env", "MODES=rx fwd", "DURATION=3", "ROUNDS=1", "WARMUP=0",
        "testbed/scenarios/compare-dpdk.sh");
    assertEquals(0, r.exitCode(), r.output());
    r.find("modes rx fwd; 1 rounds x 3 s each, 60 B frames, burst/batch 64");
    r.find("\\[panamax\\] recv on .*, light: frames counted, not verified");
    r.find("\\[dpdk\\] rxonly packet forwarding");
    r.find("\\[dpdk\\] mac packet forwarding");
    for (String mode : new String[] {"rx", "fwd"}) {
      final long panamax = r.number("RATE " + mode + " panamax (\\d+)");
      final long dpdk = r.number("RATE " + mode + " dpdk (\\d+)");
      assertTrue(panamax > 0 && dpdk > 0, mode + ": " + r.output());
      r.find("RESULT " + mode + " pooled [0-9.]+ steady [0-9.]+");
      // The climb of each run, 10 s per figure: one figure for a 3 s run.
      for (String program : new String[] {"panamax", "dpdk"}) {
        r.find("ROUND 1 " + mode + " SERIES " + program + " kpps per 10 s: [0-9]+\\.[0-9]\r?$");
      }
    }
    r.find("feeder: testpmd txonly sent [1-9][0-9]* frames");
  }
}
