package dev.panamax.impl.ixgbe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Host hugepages for tests that give DMA memory to a device model: raises nr_hugepages by what
 * is missing and mounts hugetlbfs on a temporary directory; {@link #close()} undoes both. Needs
 * root, as the hugepage tests of the unsafe package do.
 */
final class HugepageFixture implements AutoCloseable {
  private static final Path NR = Path.of("/proc/sys/vm/nr_hugepages");

  private final Path mount;
  private final long added;

  HugepageFixture(int wanted) throws IOException, InterruptedException {
    if (!Files.isWritable(NR)) {
      throw new IllegalStateException("device-model tests need root: cannot write " + NR);
    }
    final long missing = wanted - counter("HugePages_Free");
    long raised = 0;
    if (missing > 0) {
      Files.writeString(NR, Long.toString(counter("HugePages_Total") + missing));
      raised = missing;
      if (counter("HugePages_Free") < wanted) {
        Files.writeString(NR, Long.toString(counter("HugePages_Total") - raised));
        throw new IllegalStateException("could not reserve " + wanted + " free 2 MiB hugepages");
      }
    }
    this.added = raised;
    this.mount = Files.createTempDirectory("panamax-model-huge-");
    run("mount", "-t", "hugetlbfs", "-o", "pagesize=2M", "nodev", mount.toString());
  }

  Path mount() {
    return mount;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    run("umount", mount.toString());
    Files.deleteIfExists(mount);
    if (added > 0) {
      Files.writeString(NR, Long.toString(Math.max(0, counter("HugePages_Total") - added)));
    }
  }

  private static long counter(String name) throws IOException {
    try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
      return lines.filter(l -> l.startsWith(name + ":"))
          .map(l -> Long.parseLong(l.replaceAll("\\D+", "")))
          .findFirst().orElse(0L);
    }
  }

  private static void run(String... command) throws IOException, InterruptedException {
    final Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    final String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
  }

}
