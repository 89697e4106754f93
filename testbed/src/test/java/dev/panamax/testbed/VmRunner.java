package dev.panamax.testbed;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs a command in a fresh QEMU guest through testbed/vm.sh and returns what it printed. */
final class VmRunner {
  private VmRunner() {}

  /** Exit status and output (stdout and stderr) of a guest run. */
  record Result(int exitCode, String output) {
    /** Returns the first group of the first match, or fails the test showing the output. */
    String find(String regex) {
      final Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(output);
      if (!m.find()) {
        fail("no match for /" + regex + "/ in guest output:\n" + output);
      }
      return m.groupCount() > 0 ? m.group(1) : m.group();
    }

    long number(String regex) {
      return Long.parseLong(find(regex));
    }
  }

  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("testbed/vm.sh"))) {
      dir = dir.getParent();
    }
    assertTrue(dir != null, "testbed/vm.sh not found above " + Path.of("").toAbsolutePath());
    return dir;
  }

  /**
   * Boots a guest with {@code nics} and runs {@code command} in the repository root inside it.
   * A VM that cannot be provisioned or booted fails the test with vm.sh's message.
   */
  static Result run(String nics, int timeoutSeconds, String... command)
      throws IOException, InterruptedException {
    return runWith(java.util.Map.of(), nics, timeoutSeconds, command);
  }

  /** As {@link #run}, with extra environment for vm.sh (e.g. {@code PANAMAX_CACHE}). */
  static Result runWith(java.util.Map<String, String> env, String nics, int timeoutSeconds,
      String... command) throws IOException, InterruptedException {
    return runWith(env, List.of(), nics, timeoutSeconds, command);
  }

  /** As {@link #run}, letting the guest drive QEMU's monitor (vm.sh --qmp). */
  static Result runWithMonitor(String nics, int timeoutSeconds, String... command)
      throws IOException, InterruptedException {
    return runWith(java.util.Map.of(), List.of("--qmp"), nics, timeoutSeconds, command);
  }

  private static Result runWith(java.util.Map<String, String> env, List<String> vmOptions,
      String nics, int timeoutSeconds, String... command) throws IOException, InterruptedException {
    final Path root = root();
    final List<String> args = new ArrayList<>(List.of(
        root.resolve("testbed/vm.sh").toString(), "--nics", nics,
        "--timeout", String.valueOf(timeoutSeconds), "--workdir", root.toString()));
    args.addAll(vmOptions);
    args.add("--");
    args.addAll(List.of(command));
    return execute(args, env, timeoutSeconds);
  }

  /** Runs {@code ./panamax ARGS} (which boots the VM itself) with extra environment. */
  static Result launch(int timeoutSeconds, java.util.Map<String, String> env, String... launcherArgs)
      throws IOException, InterruptedException {
    final List<String> args = new ArrayList<>(List.of(root().resolve("panamax").toString()));
    args.addAll(List.of(launcherArgs));
    return execute(args, env, timeoutSeconds);
  }

  /** What HotSpot prints when a JVM dies of a fatal error (SIGSEGV, SIGILL, ...). */
  static final String JVM_FATAL = "A fatal error has been detected by the Java Runtime Environment";

  /**
   * What QEMU 10's TCG prints when it aborts on its own assertion while the guest changes its
   * memory map (seen once in a full test run, 17 s into a guest that was binding a NIC to
   * vfio-pci: {@code system/physmem.c: iotlb_to_section: Assertion `section_index <
   * d->map.sections_nb' failed}, QEMU exit 134). The emulator died, not the code under test.
   */
  static final String QEMU_TCG_ABORT = "iotlb_to_section: Assertion";

  /** How many times a command whose guest JVM died of a fatal error is run again. */
  static final int FATAL_RERUNS = 2;

  /**
   * Runs vm.sh; when a JVM in the guest died of a fatal error, boots a fresh guest and runs the
   * whole command again, at most {@link #FATAL_RERUNS} times. Seen under TCG with tiered
   * compilation in about one guest JVM start in ten: SIGSEGV 0x20 bytes into a C1-compiled method
   * whose entry HotSpot was patching (testbed/README.md, "JIT in the guest"); the launcher now
   * turns tiering off in the guest, and this re-run covers the JVMs scripts start themselves and
   * rarer causes. The same holds for QEMU's own TCG abort ({@link #QEMU_TCG_ABORT}) when it
   * ended the run, that is when vm.sh's own second boot did not help. Every crash and its report stay in the test output and in
   * target/guest-jvm-fatal-errors.log; only these two banners cause a re-run, and after the last
   * re-run the test judges that run's output, crash or not.
   */
  private static Result execute(List<String> args, java.util.Map<String, String> env,
      int timeoutSeconds) throws IOException, InterruptedException {
    Result result = executeOnce(args, env, timeoutSeconds);
    for (int rerun = 1; rerun <= FATAL_RERUNS && (result.output().contains(JVM_FATAL)
        || qemuAborted(result)); rerun++) {
      final Path log = root().resolve("testbed/target/guest-jvm-fatal-errors.log");
      Files.createDirectories(log.getParent());
      Files.writeString(log, "=== " + String.join(" ", args) + "\n" + result.output(),
          StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      System.out.println("[vm] " + (qemuAborted(result) ? "QEMU aborted on"
          + " its own TCG assertion" : "A JVM in the guest died of a fatal error") + " (exit " + result.exitCode()
          + "; report above and in " + log + "); running the command again in a fresh guest ("
          + rerun + " of at most " + FATAL_RERUNS + ").");
      result = executeOnce(args, env, timeoutSeconds);
    }
    // Judged after the re-runs: QEMU's abort ends vm.sh with 125 (no exit status from the guest).
    if (result.exitCode() == 125) {
      fail("the VM test bed could not run (vm.sh exit 125):\n" + result.output());
    }
    if (result.exitCode() == 124) {
      fail("the guest command timed out after " + timeoutSeconds + " s:\n" + result.output());
    }
    return result;
  }

  /**
   * QEMU's TCG abort ended the run: vm.sh got no exit status from the guest (125) and QEMU's
   * message is in the output. When vm.sh booted the VM again after an abort and the command ran,
   * the message is there too, but the run counts as it ended.
   */
  private static boolean qemuAborted(Result result) {
    return result.exitCode() == 125 && result.output().contains(QEMU_TCG_ABORT);
  }

  private static Result executeOnce(List<String> args, java.util.Map<String, String> env,
      int timeoutSeconds) throws IOException, InterruptedException {
    final Path root = root();
    final ProcessBuilder pb = new ProcessBuilder(args).directory(root.toFile()).redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    // The jars were just built by this Maven run; the launcher must not start another build.
    pb.environment().put("PANAMAX_NO_BUILD", "1");
    pb.environment().putAll(env);
    final Process process = pb.start();
    final StringBuilder out = new StringBuilder();
    final Thread reader = Thread.ofVirtual().start(() -> {
      try (var in = process.inputReader(StandardCharsets.UTF_8)) {
        String line;
        while ((line = in.readLine()) != null) {
          System.out.println("[vm] " + line);
          synchronized (out) {
            out.append(line).append('\n');
          }
        }
      } catch (IOException e) {
        synchronized (out) {
          out.append("(reading guest output failed: ").append(e).append(")\n");
        }
      }
    });
    if (!process.waitFor(timeoutSeconds + 120L, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("vm.sh did not return within " + (timeoutSeconds + 120) + " s");
    }
    reader.join(10_000);
    final String text;
    synchronized (out) {
      text = out.toString();
    }
    return new Result(process.exitValue(), text);
  }
}
