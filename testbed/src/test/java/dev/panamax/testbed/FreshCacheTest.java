package dev.panamax.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What a new machine sees: the test bed provisioned into an empty cache directory, through the
 * same code that installs the host packages, and a VM booted from that cache. Also the shell
 * scripts' own check, and the refusal of a broken cached initramfs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FreshCacheTest {
  private static Path cache;
  private static Shell.Result provisioned;

  @BeforeAll
  static void provisionIntoAnEmptyCache() throws Exception {
    cache = Files.createTempDirectory("panamax-fresh-cache");
    final long t0 = System.nanoTime();
    provisioned = Shell.run(Map.of("PANAMAX_CACHE", cache.toString()), 900,
        VmRunner.root().resolve("testbed/provision.sh").toString());
    System.out.printf("[fresh cache] provisioning %s took %.1f s%n", cache,
        (System.nanoTime() - t0) / 1e9);
  }

  @AfterAll
  static void removeTheCache() throws IOException {
    if (cache != null) {
      try (Stream<Path> files = Files.walk(cache)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  @Order(1)
  void scriptsParseAndNoFunctionShadowsACommand() throws Exception {
    final Shell.Result r = Shell.run(Map.of(), 120,
        VmRunner.root().resolve("testbed/check-scripts.sh").toString());
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("scripts parse and define no function named like a command"),
        r.output());
  }

  @Test
  @Order(2)
  void theScriptCheckRejectsAFunctionNamedLikeACommand() throws Exception {
    final Path script = Files.createTempFile(cache, "shadow", ".sh");
    Files.writeString(script, """
        #!/usr/bin/env bash
        install() { apt-get install -y "$@"; }
          cpio () { :; }
        function say_hello { echo hi; }
        """);
    final Shell.Result r = Shell.run(Map.of(), 120,
        VmRunner.root().resolve("testbed/check-scripts.sh").toString(), script.toString());
    assertEquals(1, r.exitCode(), r.output());
    assertTrue(r.output().contains(":2: function 'install' shadows the command 'install'"), r.output());
    assertTrue(r.output().contains(":3: function 'cpio' shadows the command 'cpio'"), r.output());
    assertTrue(!r.output().contains("say_hello"), r.output());
  }

  @Test
  @Order(3)
  void anEmptyCacheTakesTheInstallPathAndBuildsACheckedInitramfs() {
    assertEquals(0, provisioned.exitCode(), provisioned.output());
    final String out = provisioned.output();
    // The package step ran apt-get install although the packages may already be present.
    assertTrue(out.contains("provision: apt-get install -t bookworm-backports qemu-system-x86"
        + " busybox-static cpio"), out);
    assertTrue(out.contains("provision: apt-get install tshark iputils-ping dpdk"), out);
    assertTrue(out.contains("provision: apt-get download linux-image-6.1.0-"), out);
    assertTrue(out.matches("(?s).*provision: initramfs: \\S+initramfs\\.cpio\\.gz \\([^)]*,"
        + " checked\\).*"), out);
  }

  @Test
  @Order(4)
  void theFreshInitramfsHasAnExecutableInitAndEveryModule() throws Exception {
    final Path initramfs = cache.resolve("initramfs.cpio.gz");
    final List<String> listing = archiveListing(initramfs);
    assertTrue(listing.stream().anyMatch(l -> l.matches("-..x.* init")),
        "no executable /init in " + initramfs + ":\n" + String.join("\n", listing));
    assertEquals(Files.readString(VmRunner.root().resolve("testbed/guest-init.sh")),
        extract(initramfs, "init"), "/init is not testbed/guest-init.sh");
    final List<String> modules = Files.readAllLines(cache.resolve("modules.order"));
    assertTrue(modules.size() >= 20, "module list: " + modules);
    assertEquals(String.join("\n", modules) + "\n", extract(initramfs, "etc/modules.order"));
    final String kver = extract(initramfs, "etc/kernel-release").strip();
    for (String m : modules) {
      assertTrue(listing.stream().anyMatch(l -> l.endsWith(" lib/modules/" + kver + "/" + m)),
          "module " + m + " missing from " + initramfs);
    }
    for (String m : List.of("e1000.ko", "igb.ko", "virtio_net.ko", "vfio-pci.ko", "9p.ko")) {
      assertTrue(modules.stream().anyMatch(x -> x.endsWith("/" + m)), m + " not in " + modules);
    }
  }

  @Test
  @Order(5)
  void aVmBootsFromTheFreshCache() throws Exception {
    final VmRunner.Result r = VmRunner.runWith(Map.of("PANAMAX_CACHE", cache.toString()),
        "e1000", 300, "sh", "-c",
        "echo kernel $(uname -r); echo nic $(cat /sys/bus/pci/devices/0000:01:00.0/vendor)"
            + " $(cat /sys/bus/pci/devices/0000:01:00.0/device)");
    assertEquals(0, r.exitCode(), r.output());
    assertEquals(extract(cache.resolve("initramfs.cpio.gz"), "etc/kernel-release").strip(),
        r.find("^kernel (\\S+)"));
    r.find("^nic 0x8086 0x100e");
  }

  @Test
  @Order(6)
  void aCachedInitramfsWithoutInitIsRebuiltBeforeAnyVmBoots() throws Exception {
    final Path initramfs = cache.resolve("initramfs.cpio.gz");
    repackWithout(initramfs, "init");
    assertTrue(archiveListing(initramfs).stream().noneMatch(l -> l.endsWith(" init")));
    final Shell.Result r = Shell.run(Map.of("PANAMAX_CACHE", cache.toString()), 600,
        VmRunner.root().resolve("testbed/provision.sh").toString(), "-q");
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("provision: the cached initramfs " + initramfs
        + " is broken (it has no executable /init); rebuilding it"), r.output());
    assertTrue(archiveListing(initramfs).stream().anyMatch(l -> l.matches("-..x.* init")));
  }

  @Test
  @Order(7)
  void aCachedInitramfsMissingAModuleIsRebuilt() throws Exception {
    final Path initramfs = cache.resolve("initramfs.cpio.gz");
    final String igb = Files.readAllLines(cache.resolve("modules.order")).stream()
        .filter(m -> m.endsWith("/igb.ko")).findFirst().orElseThrow();
    final String kver = extract(initramfs, "etc/kernel-release").strip();
    repackWithout(initramfs, "lib/modules/" + kver + "/" + igb);
    final Shell.Result r = Shell.run(Map.of("PANAMAX_CACHE", cache.toString()), 600,
        VmRunner.root().resolve("testbed/provision.sh").toString(), "-q");
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("is broken (it lacks the module " + igb + "); rebuilding it"),
        r.output());
    final Shell.Result again = Shell.run(Map.of("PANAMAX_CACHE", cache.toString()), 600,
        VmRunner.root().resolve("testbed/provision.sh").toString());
    assertEquals(0, again.exitCode(), again.output());
    assertTrue(again.output().contains("initramfs.cpio.gz (")
        && again.output().contains("checked: /init, busybox,"), again.output());
  }

  @Test
  @Order(8)
  void aQemuAbortBeforeTheCommandStartsBootsTheVmOnceMore() throws Exception {
    final FakeQemu qemu = new FakeQemu("abort-at-boot ok");
    final Shell.Result r = qemu.runVm();
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("iotlb_to_section: Assertion"), r.output());
    assertTrue(r.output().contains("vm: QEMU aborted on an internal assertion before the guest ran"
        + " the command (QEMU exit 134); booting the VM once more"), r.output());
    assertTrue(r.output().contains("fake guest ran the command"), r.output());
    assertEquals(2, qemu.calls());
  }

  @Test
  @Order(9)
  void aQemuAbortAfterTheCommandStartedOrASecondAbortIsReportedNotRetried() throws Exception {
    final FakeQemu late = new FakeQemu("abort-in-command ok");
    final Shell.Result r = late.runVm();
    assertEquals(125, r.exitCode(), r.output());
    assertTrue(r.output().contains("vm: the VM ended without an exit status (QEMU exit 134"), r.output());
    assertTrue(!r.output().contains("booting the VM once more"), r.output());
    assertEquals(1, late.calls());

    final FakeQemu twice = new FakeQemu("abort-at-boot abort-at-boot ok");
    final Shell.Result r2 = twice.runVm();
    assertEquals(125, r2.exitCode(), r2.output());
    assertTrue(r2.output().contains("booting the VM once more"), r2.output());
    assertTrue(r2.output().contains("vm: the VM ended without an exit status (QEMU exit 134"), r2.output());
    assertEquals(2, twice.calls());
  }

  @Test
  @Order(10)
  void aVmThatOutlivesItsTimeoutIsStoppedAndReportedWithExit124() throws Exception {
    final FakeQemu hung = new FakeQemu("hang");
    final long start = System.nanoTime();
    final Shell.Result r = hung.runVm(3);
    final long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    assertEquals(124, r.exitCode(), r.output());
    // The stand-in sleeps 90 s: a vm.sh that left it running would wait for its console until then.
    assertTrue(seconds < 30, "vm.sh took " + seconds + " s to end after a 3 s timeout\n" + r.output());
    assertTrue(r.output().contains("timeout: the command did not finish within 3 s; killing QEMU"),
        r.output());
    assertEquals(1, hung.calls());
    final long pid = Long.parseLong(Files.readString(hung.dir.resolve("pid")).strip());
    assertTrue(ProcessHandle.of(pid).isEmpty(), "the stand-in QEMU (pid " + pid + ") still runs");
  }

  /**
   * A stand-in for qemu-system-x86_64, first on vm.sh's PATH: each call takes the next action
   * of its plan. {@code abort-at-boot} prints QEMU's TCG assertion and dies of SIGABRT before
   * the guest starts the command; {@code abort-in-command} does so after the guest has marked
   * the command started; {@code ok} runs a guest whose command prints a line and exits 0;
   * {@code hang} starts the command and does not end for 90 s (or a signal), its pid in {@code pid}.
   */
  private static final class FakeQemu {
    private final Path dir;
    private final String plan;

    FakeQemu(String plan) throws IOException {
      this.plan = plan;
      this.dir = Files.createTempDirectory(cache, "fake-qemu");
      final Path script = dir.resolve("qemu-system-x86_64");
      Files.writeString(script, """
          #!/bin/sh
          ulimit -c 0
          n=$(( $(cat "$FAKE_QEMU_CALLS" 2>/dev/null || echo 0) + 1 )); echo "$n" > "$FAKE_QEMU_CALLS"
          action=$(echo "$FAKE_QEMU_PLAN" | cut -d' ' -f"$n")
          run=$(printf '%s\\n' "$@" | sed -n 's/^local,id=fsrun,path=\\([^,]*\\),.*/\\1/p')
          fail() {
            echo "qemu-system-x86_64: ../../system/physmem.c:2678: iotlb_to_section: Assertion \\
          \\`section_index < d->map.sections_nb' failed." >&2
            kill -ABRT $$
          }
          case "$action" in
            abort-at-boot) fail ;;
            abort-in-command) echo 3.1 > "$run/boot_seconds"; fail ;;
            hang) echo 3.1 > "$run/boot_seconds"; echo $$ > "${FAKE_QEMU_CALLS%/calls}/pid"; exec sleep 90 ;;
            ok) echo 3.1 > "$run/boot_seconds"; echo "fake guest ran the command" | tee "$run/output.log"
                echo 0 > "$run/exit_code"; exit 0 ;;
          esac
          exit 1
          """);
      Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    Shell.Result runVm() throws Exception {
      return runVm(60);
    }

    Shell.Result runVm(int timeoutSeconds) throws Exception {
      return Shell.run(Map.of("PANAMAX_CACHE", cache.toString(),
              "PATH", dir + ":" + System.getenv("PATH"),
              "FAKE_QEMU_PLAN", plan, "FAKE_QEMU_CALLS", dir.resolve("calls").toString()), 120,
          VmRunner.root().resolve("testbed/vm.sh").toString(), "--timeout",
          Integer.toString(timeoutSeconds), "--", "true");
    }

    int calls() throws IOException {
      return Integer.parseInt(Files.readString(dir.resolve("calls")).strip());
    }
  }

  /** {@code cpio -itv} of a gzip'd archive, one line per entry. */
  private static List<String> archiveListing(Path archive) throws Exception {
    final Shell.Result r = Shell.capture(60, "sh", "-c",
        "gzip -dc \"$0\" | cpio -itv --quiet", archive.toString());
    assertEquals(0, r.exitCode(), r.output());
    return r.output().lines().toList();
  }

  private static String extract(Path archive, String member) throws Exception {
    final Shell.Result r = Shell.capture(60, "sh", "-c",
        "gzip -dc \"$0\" | cpio -i --quiet --to-stdout \"$1\"", archive.toString(), member);
    assertEquals(0, r.exitCode(), r.output());
    return r.output();
  }

  /** Rewrites the archive without one member, keeping everything else as it was. */
  private static void repackWithout(Path archive, String member) throws Exception {
    final Path dir = Files.createTempDirectory(cache, "unpacked");
    final Shell.Result r = Shell.run(Map.of(), 120, "sh", "-c",
        "cd \"$1\" && gzip -dc \"$0\" | cpio -id --quiet && rm -f \"./$2\""
            + " && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0"
            + " | gzip > \"$0.tmp\" && mv \"$0.tmp\" \"$0\"",
        archive.toString(), dir.toString(), member);
    assertEquals(0, r.exitCode(), r.output());
  }

  /** Runs a host command (never anything that touches PCI devices) and collects its output. */
  static final class Shell {
    private Shell() {}

    record Result(int exitCode, String output) {}

    static Result run(Map<String, String> env, int timeoutSeconds, String... command)
        throws IOException, InterruptedException {
      final Result r = capture(env, timeoutSeconds, command);
      System.out.print(r.output().lines().map(l -> "[host] " + l + "\n").reduce("", String::concat));
      return r;
    }

    /** As {@link #run}, without echoing the output (archive listings). */
    static Result capture(int timeoutSeconds, String... command)
        throws IOException, InterruptedException {
      return capture(Map.of(), timeoutSeconds, command);
    }

    private static Result capture(Map<String, String> env, int timeoutSeconds, String... command)
        throws IOException, InterruptedException {
      final ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(command)))
          .directory(VmRunner.root().toFile()).redirectErrorStream(true);
      pb.environment().putAll(env);
      final Process p = pb.start();
      final byte[] out;
      try (var in = p.getInputStream()) {
        out = in.readAllBytes();
      }
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not end in " + timeoutSeconds + " s");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
  }
}
