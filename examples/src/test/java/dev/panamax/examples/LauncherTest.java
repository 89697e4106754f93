package dev.panamax.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ./panamax launcher's JDK discovery. Runs only 'help', which builds nothing. */
class LauncherTest {
  private static Path launcher() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isExecutable(dir.resolve("panamax"))) {
      dir = dir.getParent();
    }
    assertTrue(dir != null, "no ./panamax above " + Path.of("").toAbsolutePath());
    return dir.resolve("panamax");
  }

  private static String[] run(Map<String, String> env) throws IOException, InterruptedException {
    final ProcessBuilder pb = new ProcessBuilder(launcher().toString(), "help").redirectErrorStream(true);
    pb.environment().putAll(env);
    final Process p = pb.start();
    final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return new String[] {String.valueOf(p.exitValue()), out};
  }

  private static Path fakeJdk(Path root, String name, String version) throws IOException {
    final Path home = Files.createDirectories(root.resolve(name));
    final Path bin = Files.createDirectories(home.resolve("bin"));
    for (String tool : new String[] {"java", "javac"}) {
      final Path f = Files.writeString(bin.resolve(tool), "#!/bin/sh\nexit 0\n");
      assertTrue(f.toFile().setExecutable(true));
    }
    Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
    return home;
  }

  @Test
  void failsWithInstallAdviceWhenNoJdk25Exists(@TempDir Path tmp) throws Exception {
    final Path old = fakeJdk(tmp, "old", "17.0.15");
    final String[] r = run(Map.of("JAVA_HOME", old.toString(), "PANAMAX_JDK_DIR", tmp.toString()));
    assertEquals("1", r[0], r[1]);
    assertTrue(r[1].contains("is not a JDK 25 or newer"), r[1]);
    assertTrue(r[1].contains("no JDK 25 or newer found"), r[1]);
    assertTrue(r[1].contains("apt-get install"), r[1]);
  }

  @Test
  void picksTheNewestJdk25OrLaterFromTheSearchDirectory(@TempDir Path tmp) throws Exception {
    final Path old = fakeJdk(tmp, "jdk-17", "17.0.15");
    fakeJdk(tmp, "jdk-25", "25.0.1");
    fakeJdk(tmp, "jdk-26", "26");
    final String[] r = run(Map.of("JAVA_HOME", old.toString(), "PANAMAX_JDK_DIR", tmp.toString()));
    assertEquals("0", r[0], r[1]);
    assertTrue(r[1].contains("Usage: ./panamax"), r[1]);
    assertTrue(r[1].contains("JDK: 26 at " + tmp.resolve("jdk-26")), r[1]);
  }

  @Test
  void usesJavaHomeWhenItIs25OrNewer(@TempDir Path tmp) throws Exception {
    final Path jdk = fakeJdk(tmp, "mine", "25");
    final String[] r = run(Map.of("JAVA_HOME", jdk.toString(), "PANAMAX_JDK_DIR", tmp.resolve("none").toString()));
    assertEquals("0", r[0], r[1]);
    assertTrue(!r[1].contains("looking in"), r[1]);
    assertTrue(r[1].contains("JDK: 25 at " + jdk), r[1]);
  }
}
