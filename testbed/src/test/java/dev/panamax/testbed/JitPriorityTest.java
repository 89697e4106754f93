package dev.panamax.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The launcher's priority for the JIT's compiler threads, on the host with an in-memory device:
 * as root an app's compiler threads run at nice -10 and its own threads at 0;
 * {@code -XX:ThreadPriorityPolicy=0} in PANAMAX_JAVA_OPTS turns it off; without root the
 * launcher leaves the flags out, so the JVM prints no warning about them.
 * docs/performance.md ("The compiler threads' priority") has what it gains in the VM.
 */
class JitPriorityTest {
  private static final Path LAUNCHER = VmRunner.root().resolve("panamax");

  @Test
  void asRootTheCompilerThreadsRunAtNiceMinus10AndTheAppsThreadsAt0() throws Exception {
    final Map<String, Integer> nice = threadNiceValues(Map.of());
    assertTrue(nice.keySet().stream().anyMatch(t -> t.startsWith("C2 CompilerThre")), nice.toString());
    assertTrue(nice.keySet().stream().anyMatch(t -> t.startsWith("java ")), nice.toString());
    nice.forEach((thread, value) -> {
      if (thread.startsWith("C1 CompilerThre") || thread.startsWith("C2 CompilerThre")) {
        assertEquals(-10, value, thread + " in " + nice);
      }
      // The launcher's first thread and the app's main thread, which runs pktgen's loop.
      if (thread.startsWith("java ")) {
        assertEquals(0, value, thread + " in " + nice);
      }
    });
  }

  @Test
  void threadPriorityPolicy0InTheJavaOptionsTurnsItOff() throws Exception {
    final Map<String, Integer> nice =
        threadNiceValues(Map.of("PANAMAX_JAVA_OPTS", "-XX:ThreadPriorityPolicy=0"));
    assertTrue(nice.keySet().stream().anyMatch(t -> t.startsWith("C2 CompilerThre")), nice.toString());
    nice.forEach((thread, value) -> assertEquals(0, value, thread + " in " + nice));
  }

  @Test
  void withoutRootTheFlagsAreLeftOutAndTheJvmDoesNotWarn() throws Exception {
    final FreshCacheTest.Shell.Result r = FreshCacheTest.Shell.run(Map.of(), 120, "setpriv",
        "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--reset-env", "env",
        "PANAMAX_NO_BUILD=1", LAUNCHER.toString(), "pktgen", "null:jit-test", "--count", "1000");
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("pktgen: sent 1000 packets"), r.output());
    assertFalse(r.output().contains("ThreadPriorityPolicy"), r.output());
  }

  /**
   * Starts pktgen on a null device through the launcher, waits for its first line, and reads
   * the nice value of each of its threads from /proc (field 19 of task/TID/stat).
   */
  private static Map<String, Integer> threadNiceValues(Map<String, String> env) throws Exception {
    final ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "pktgen", "null:jit-test",
        "--seconds", "20").redirectErrorStream(true);
    final Map<String, String> all = new HashMap<>(env);
    all.put("PANAMAX_NO_BUILD", "1");
    pb.environment().putAll(all);
    final Process p = pb.start();
    try {
      final BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      final String first = out.readLine();
      assertTrue(first != null && first.startsWith("pktgen on null:jit-test"), "pktgen said: " + first);
      // The launcher execs the JVM: the process is the JVM.
      final Map<String, Integer> nice = new HashMap<>();
      try (var tasks = Files.list(Path.of("/proc", Long.toString(p.pid()), "task"))) {
        for (Path task : tasks.toList()) {
          final String stat;
          try {
            stat = Files.readString(task.resolve("stat"), StandardCharsets.UTF_8);
          } catch (IOException e) {
            continue; // the thread ended
          }
          final String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          nice.put(name + " " + task.getFileName(), Integer.parseInt(fields[16]));
        }
      }
      return nice;
    } finally {
      p.destroy();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "pktgen did not stop on SIGTERM");
    }
  }
}
