package dev.panamax.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the consumer templates as a user would, outside the reactor: this build's artifacts
 * (BOM, parent, api, impl, checkers, kotlin poms and jars) go into a fresh local repository,
 * chained with {@code maven.repo.local.tail} to the outer build's repository for third-party
 * artifacts only; {@code ./mvnw -o package} builds each template, and its forwarder runs over
 * {@code null:} devices.
 */
class ConsumerTemplatesTest {
  private static final Path ROOT =
      Path.of(System.getProperty("panamax.root", "..")).toAbsolutePath().normalize();
  private static final String VERSION = System.getProperty("panamax.version", "0.1.0-SNAPSHOT");
  private static final long PACKETS = 20_000;

  @TempDir Path temp;

  @Test
  void javaTemplateBuildsWithTheOwnershipCheckerAndForwards() throws Exception {
    buildAndRun("consumer-java", "example.Forward");
  }

  @Test
  void kotlinTemplateBuildsWithTheExtensionsAndForwards() throws Exception {
    buildAndRun("consumer-kotlin", "example.ForwardKt");
  }

  private void buildAndRun(String template, String main) throws Exception {
    final Path repo = temp.resolve("repo");
    deploy(repo);
    final Path project = temp.resolve(template);
    copyTree(ROOT.resolve("examples").resolve(template), project);
    final Result build = run(project, List.of(ROOT.resolve("mvnw").toString(), "-B", "-ntp", "-o",
        "-Dmaven.repo.local=" + repo, "-Dmaven.repo.local.tail=" + tail(), "package"));
    System.out.println(template + " build:\n" + summary(build.output()));
    assertEquals(0, build.exit(), build::output);
    assertTrue(build.output().contains("BUILD SUCCESS"), build::output);
    final String classpath = project.resolve("target/classes") + File.pathSeparator
        + project.resolve("target/lib") + File.separator + "*";
    final Result forward = run(project, List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--illegal-native-access=deny", "-cp", classpath, main, "null:in", "null:out",
        Long.toString(PACKETS)));
    System.out.println(template + " run: " + forward.output().strip());
    assertEquals(0, forward.exit(), forward::output);
    assertEquals("forwarded " + PACKETS + " packets: null:in received " + PACKETS
        + ", null:out sent " + PACKETS, forward.output().strip());
  }

  /** This build's Panamax artifacts, laid out as a local repository. */
  private static void deploy(Path repo) throws IOException {
    put(repo, "panamax-parent", ROOT.resolve("pom.xml"), null);
    put(repo, "panamax-bom", ROOT.resolve("bom/pom.xml"), null);
    put(repo, "panamax-api", ROOT.resolve("api/pom.xml"), jar("api", "panamax-api-" + VERSION));
    put(repo, "panamax-impl", ROOT.resolve("impl/pom.xml"), jar("impl", "panamax-impl-" + VERSION));
    put(repo, "panamax-checkers", ROOT.resolve("checkers/pom.xml"),
        jar("checkers", "panamax-checkers-" + VERSION));
    put(repo, "panamax-kotlin", ROOT.resolve("kotlin/pom.xml"), jar("kotlin", "panamax-kotlin"));
    put(repo, "panamax-kotlin-checker", ROOT.resolve("kotlin-checker/pom.xml"),
        jar("kotlin-checker", "panamax-kotlin-checker-" + VERSION));
  }

  private static Path jar(String module, String name) {
    final Path jar = ROOT.resolve(module).resolve("target").resolve(name + ".jar");
    assertTrue(Files.isRegularFile(jar), "not packaged yet: " + jar);
    return jar;
  }

  private static void put(Path repo, String artifact, Path pom, Path jar) throws IOException {
    final Path dir = repo.resolve("dev/panamax/" + artifact + "/" + VERSION);
    Files.createDirectories(dir);
    Files.copy(pom, dir.resolve(artifact + "-" + VERSION + ".pom"), StandardCopyOption.REPLACE_EXISTING);
    if (jar != null) {
      Files.copy(jar, dir.resolve(artifact + "-" + VERSION + ".jar"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static String tail() {
    return System.getProperty("panamax.localRepository",
        Path.of(System.getProperty("user.home"), ".m2/repository").toString());
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.filter(p -> !from.relativize(p).startsWith("target")).toList()) {
        final Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }

  /** The build's closing lines: its result and time. */
  private static String summary(String output) {
    return String.join("\n", output.lines()
        .filter(l -> l.contains("BUILD ") || l.contains("Total time") || l.contains("Building jar"))
        .toList());
  }

  record Result(int exit, String output) {}

  private static Result run(Path dir, List<String> command) throws Exception {
    final ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("MAVEN_OPTS");
    pb.environment().remove("MAVEN_ARGS");
    final Process p = pb.start();
    final byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "timed out: " + command);
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
