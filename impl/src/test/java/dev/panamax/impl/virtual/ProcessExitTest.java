package dev.panamax.impl.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that ends with devices and a pool open, packets in flight and owned: the JVM exits
 * cleanly with the program's own status, prints nothing on stderr (no exception, no warning),
 * and leaves nothing behind in the run directory (claims, records). Runs {@link
 * ExitWithoutClosing} in a JVM of its own, with this JVM's class and module path.
 */
class ProcessExitTest {
  @TempDir Path run;

  @Test
  void returningFromMainWithEverythingOpenExitsCleanly() throws Exception {
    assertCleanExit("return", 0);
  }

  @Test
  void systemExitWithEverythingOpenExitsCleanly() throws Exception {
    assertCleanExit("exit", 7);
  }

  private void assertCleanExit(String how, int status) throws Exception {
    final Path err = run.resolveSibling(run.getFileName() + ".err");
    final Process child = new ProcessBuilder(command(how))
        .redirectError(err.toFile())
        .start();
    final String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not exit within 60 s");
    final String stderr = Files.readString(err);
    Files.delete(err);
    assertEquals(status, child.exitValue(), "exit status; stderr: " + stderr);
    assertEquals("in flight 16 (sent 16), owned 3, received 8, link up true\n", out);
    assertEquals("", stderr);
    try (Stream<Path> left = Files.list(run)) {
      assertEquals(List.of(), left.toList(), "nothing is left in the run directory");
    }
  }

  private List<String> command(String how) {
    final List<String> path = new ArrayList<>();
    for (String property : List.of("jdk.module.path", "java.class.path")) {
      final String value = System.getProperty(property, "");
      if (!value.isEmpty()) {
        path.add(value);
      }
    }
    return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--illegal-native-access=deny", "-Dpanamax.run=" + run, "-Dpanamax.sysfs=" + run,
        "-cp", String.join(File.pathSeparator, path),
        ExitWithoutClosing.class.getName(), how);
  }
}
