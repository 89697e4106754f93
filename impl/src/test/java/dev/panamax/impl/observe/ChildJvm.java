package dev.panamax.impl.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a test program in a JVM of its own, on this JVM's class and module path. */
final class ChildJvm {
  private ChildJvm() {}

  /**
   * Runs {@code main} of a class and returns its standard output and error, after checking that
   * it exited with status 0 within 60 s.
   *
   * @param program the class with the main method
   * @param jvmOptions options for the child JVM
   * @param args the program's arguments
   * @return what it printed
   * @throws Exception if it cannot be started or waited for
   */
  static String run(Class<?> program, List<String> jvmOptions, String... args) throws Exception {
    final List<String> path = new ArrayList<>();
    for (String property : List.of("jdk.module.path", "java.class.path")) {
      final String value = System.getProperty(property, "");
      if (!value.isEmpty()) {
        path.add(value);
      }
    }
    final List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--illegal-native-access=deny");
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", String.join(File.pathSeparator, path), program.getName()));
    command.addAll(List.of(args));
    final Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    final String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not exit within 60 s");
    assertEquals(0, child.exitValue(), out);
    return out;
  }
}
