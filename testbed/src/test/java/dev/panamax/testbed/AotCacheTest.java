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
    // Linking the VFIO path's native calls in training puts the JDK's linker classes in the cache.
    assertTrue(training.contains("aot training: native calls of the VFIO path linked"), training);
  }

  @Test
  void theLauncherStartsAppsWithTheCacheUnlessToldNot(@TempDir Path tmp) throws Exception {
    final Path withLog = tmp.resolve("with.log");
    run(withLog, Map.of());
    assertEquals("shared objects file", classSource(withLog, "dev.panamax.examples.PktgenCommand"),
        "PktgenCommand with the cache");
    // The command-line library's classes too: the build rewrote them from class-file version 49,
    // which the cache leaves out (src/build/ClassFileUpgrade.java).
    assertEquals("shared objects file", classSource(withLog, "picocli.CommandLine"), "picocli with the cache");
    final Path withoutLog = tmp.resolve("without.log");
    run(withoutLog, Map.of("PANAMAX_NO_AOT", "1"));
    final String without = classSource(withoutLog, "dev.panamax.examples.PktgenCommand");
    assertTrue(without.startsWith("file:") && without.endsWith("panamax-examples.jar"),
        "PktgenCommand without the cache: " + without);
  }

  @Test
  void theCommandLineLibraryOnTheModulePathIsClassFileVersion52WithFrames() throws Exception {
    final Path jar;
    try (var files = Files.list(TARGET.resolve("lib"))) {
      jar = files.filter(f -> f.getFileName().toString().startsWith("picocli-")).findFirst()
          .orElseThrow(() -> new AssertionError("no picocli jar in " + TARGET.resolve("lib")));
    }
    int classes = 0;
    int withFrames = 0;
    try (var zip = new java.util.zip.ZipFile(jar.toFile())) {
      for (var entry : java.util.Collections.list(zip.entries())) {
        if (!entry.getName().endsWith(".class") || entry.getName().endsWith("module-info.class")) {
          continue;
        }
        final java.lang.classfile.ClassModel model;
        try (var in = zip.getInputStream(entry)) {
          model = java.lang.classfile.ClassFile.of().parse(in.readAllBytes());
        }
        assertEquals(52, model.majorVersion(), entry.getName());
        classes++;
        // Version 52 needs frames wherever a branch lands; the JVM checks them when it loads the
        // class (the launcher test above runs it), this counts that they are there at all.
        for (var method : model.methods()) {
          if (method.code().flatMap(c -> c.findAttribute(java.lang.classfile.Attributes.stackMapTable())).isPresent()) {
            withFrames++;
          }
        }
      }
    }
    assertTrue(classes > 100, "only " + classes + " classes in " + jar);
    assertTrue(withFrames > 100, "only " + withFrames + " methods with stack-map frames in " + jar);
  }

  /** Runs pktgen on a null device with class loading logged to {@code log}. */
  private static void run(Path log, Map<String, String> extraEnv) throws Exception {
    final Map<String, String> env = new java.util.HashMap<>(extraEnv);
    env.put("PANAMAX_NO_BUILD", "1");
    env.put("PANAMAX_JAVA_OPTS", "-Xlog:class+load=info:file=" + log);
    final FreshCacheTest.Shell.Result r = FreshCacheTest.Shell.run(env, 120,
        VmRunner.root().resolve("panamax").toString(), "pktgen", "null:aot-test", "--count", "1000");
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("pktgen: sent 1000 packets"), r.output());
    assertFalse(r.output().contains("[aot]") || r.output().contains("[cds]"),
        "the JVM complained about the cache: " + r.output());
  }

  /** Where the JVM took a class from, by the class-load log. */
  private static String classSource(Path log, String className) throws Exception {
    final String marker = " " + className + " source: ";
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      final int at = line.indexOf(marker);
      if (at >= 0) {
        return line.substring(at + marker.length()).strip();
      }
    }
    throw new AssertionError(className + " not in the class-load log " + log);
  }
}
