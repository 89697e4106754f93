package dev.panamax.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AOT cache the build makes (examples/pom.xml, AotTraining) and the launcher's use of it,
 * on the host with an in-memory device: the apps start with their classes taken from the cache,
 * and without it when PANAMAX_NO_AOT is set. docs/performance.md ("Warm-up") has what it gains
 * in the VM.
 */
class AotCacheTest {
  private static final Path TARGET = VmRunner.root().resolve("examples/target");

  @Test
  void theBuildMadeACacheNewerThanTheAppsJar() throws Exception {
    final Path cache = TARGET.resolve("panamax.aot");
    assertTrue(Files.isRegularFile(cache), cache + " missing: the build's training run did not write it");
    assertTrue(Files.size(cache) > 1 << 20, cache + " is only " + Files.size(cache) + " bytes");
    assertFalse(Files.getLastModifiedTime(TARGET.resolve("panamax-examples.jar"))
        .compareTo(Files.getLastModifiedTime(cache)) > 0, "the jar is newer than the cache");
    final String training = Files.readString(TARGET.resolve("aot-training.log"), StandardCharsets.UTF_8);
    assertTrue(training.matches("(?s).*aot training: \\d{3,} Panamax classes loaded.*"), training);
  }

  @Test
  void theLauncherStartsAppsWithTheCacheUnlessToldNot(@TempDir Path tmp) throws Exception {
    final String with = classSource(tmp.resolve("with.log"), Map.of());
    assertEquals("shared objects file", with, "PktgenCommand with the cache");
    final String without = classSource(tmp.resolve("without.log"), Map.of("PANAMAX_NO_AOT", "1"));
    assertTrue(without.startsWith("file:") && without.endsWith("panamax-examples.jar"),
        "PktgenCommand without the cache: " + without);
  }

  /** Runs pktgen on a null device, returns where the JVM took PktgenCommand from. */
  private static String classSource(Path log, Map<String, String> extraEnv) throws Exception {
    final Map<String, String> env = new java.util.HashMap<>(extraEnv);
    env.put("PANAMAX_NO_BUILD", "1");
    env.put("PANAMAX_JAVA_OPTS", "-Xlog:class+load=info:file=" + log);
    final FreshCacheTest.Shell.Result r = FreshCacheTest.Shell.run(env, 120,
        VmRunner.root().resolve("panamax").toString(), "pktgen", "null:aot-test", "--count", "1000");
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("pktgen: sent 1000 packets"), r.output());
    assertFalse(r.output().contains("[aot]") || r.output().contains("[cds]"),
        "the JVM complained about the cache: " + r.output());
    final String marker = " dev.panamax.examples.PktgenCommand source: ";
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      final int at = line.indexOf(marker);
      if (at >= 0) {
        return line.substring(at + marker.length()).strip();
      }
    }
    throw new AssertionError("PktgenCommand not in the class-load log " + log);
  }
}
