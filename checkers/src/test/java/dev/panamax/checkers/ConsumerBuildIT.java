package dev.panamax.checkers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.api.OwnedPacket;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's Maven build, end to end: a small project generated here depends on panamax-api and
 * enables the checkers exactly as docs/ownership.md says (the {@code .mvn/jvm.config} and
 * {@code maven-compiler-plugin} blocks are taken from that file). It is built with the project's
 * {@code ./mvnw} in offline mode: it must fail on a planted use after send with the checker's
 * message, and pass once the bug is fixed.
 *
 * <p>Runs in the integration-test phase of this module (see its pom), after this module's jar
 * is packaged, so it works within {@code ./mvnw verify} on a clean clone: the api and checkers
 * jars of this build (and the parent, api and checkers poms) go into a temporary local
 * repository, chained with {@code maven.repo.local.tail} to the user's read-only ~/.m2, which
 * holds every third-party artifact the outer build already resolved.
 */
class ConsumerBuildIT {
  private static final Path ROOT = Path.of(System.getProperty("panamax.root", "..")).toAbsolutePath().normalize();
  private static final String VERSION = System.getProperty("panamax.version", "0.1.0-SNAPSHOT");

  static final String BUGGY = """
      package demo;

      import dev.panamax.api.Mempool;
      import dev.panamax.api.NetworkDevice;
      import dev.panamax.api.OwnedPacket;
      import dev.panamax.api.PacketBatch;

      public final class Send {
        public static void send(NetworkDevice device, Mempool pool, PacketBatch batch) {
          OwnedPacket p = pool.alloc(60);
          batch.add(p);
          device.txBatch(0, batch);
          p.putByte(0, (byte) 1);
          batch.freeAll();
        }
      }
      """;

  static final String FIXED = BUGGY.replace("""
          batch.add(p);
          device.txBatch(0, batch);
          p.putByte(0, (byte) 1);
      """, """
          p.putByte(0, (byte) 1);
          batch.add(p);
          device.txBatch(0, batch);
      """);

  static final String EXPECTED = "Send.java:[13,5] [ownership.use.after.consume] packet 'p' is used"
      + " after it was consumed at line 11 (moved into a batch by PacketBatch.add()); a consumed"
      + " packet handle is dead and must not be touched again";

  @TempDir Path temp;

  @Test
  void aConsumerBuildFailsOnAPlantedUseAfterSendAndPassesWhenItIsFixed() throws Exception {
    final Path repo = temp.resolve("repo");
    deploy(repo);
    final Path project = temp.resolve("consumer");
    writeProject(project);
    final Path source = project.resolve("src/main/java/demo/Send.java");
    Files.createDirectories(source.getParent());

    Files.writeString(source, BUGGY, StandardCharsets.UTF_8);
    final Result buggy = mvn(project, repo);
    System.out.println("Consumer build with the planted bug (exit " + buggy.exit() + "):");
    buggy.output().lines().filter(l -> l.contains("[ownership.")).distinct()
        .forEach(l -> System.out.println("  " + l));
    assertTrue(buggy.exit() != 0, buggy::output);
    assertTrue(buggy.output().contains(EXPECTED), buggy::output);
    assertTrue(buggy.output().contains("BUILD FAILURE"), buggy::output);

    Files.writeString(source, FIXED, StandardCharsets.UTF_8);
    final Result fixed = mvn(project, repo);
    assertEquals(0, fixed.exit(), fixed::output);
    assertTrue(fixed.output().contains("BUILD SUCCESS"), fixed::output);
  }

  /** The jars and poms of this build, laid out as a local repository. */
  private void deploy(Path repo) throws IOException {
    put(repo, "panamax-parent", ROOT.resolve("pom.xml"), null);
    put(repo, "panamax-api", ROOT.resolve("api/pom.xml"), jar(location(OwnedPacket.class), "api"));
    final Path checkersJar = Path.of(System.getProperty("panamax.checkersJar",
        ROOT.resolve("checkers/target/panamax-checkers-" + VERSION + ".jar").toString()));
    assertTrue(Files.isRegularFile(checkersJar), "not packaged yet: " + checkersJar);
    put(repo, "panamax-checkers", ROOT.resolve("checkers/pom.xml"), checkersJar);
  }

  private static void put(Path repo, String artifact, Path pom, Path jar) throws IOException {
    final Path dir = repo.resolve("dev/panamax/" + artifact + "/" + VERSION);
    Files.createDirectories(dir);
    Files.copy(pom, dir.resolve(artifact + "-" + VERSION + ".pom"), StandardCopyOption.REPLACE_EXISTING);
    if (jar != null) {
      Files.copy(jar, dir.resolve(artifact + "-" + VERSION + ".jar"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static Path location(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A jar as is, or a classes directory (a reactor build that stopped before package) jarred. */
  private Path jar(Path location, String name) throws IOException {
    if (Files.isRegularFile(location)) {
      return location;
    }
    final Path out = temp.resolve(name + ".jar");
    try (OutputStream os = Files.newOutputStream(out);
        JarOutputStream jos = new JarOutputStream(os, new Manifest());
        Stream<Path> files = Files.walk(location)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        jos.putNextEntry(new java.util.jar.JarEntry(location.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, jos);
        jos.closeEntry();
      }
    }
    return out;
  }

  /** The consumer project: docs/ownership.md's jvm.config and compiler plugin, verbatim. */
  private static void writeProject(Path project) throws IOException {
    final String doc = Files.readString(ROOT.resolve("docs/ownership.md"), StandardCharsets.UTF_8);
    final String jvmConfig = block(doc, "`.mvn/jvm.config`", "```\n");
    final String plugin = block(doc, "### Maven", "```xml\n");
    Files.createDirectories(project.resolve(".mvn"));
    Files.writeString(project.resolve(".mvn/jvm.config"), jvmConfig, StandardCharsets.UTF_8);
    Files.writeString(project.resolve("pom.xml"), """
        <?xml version="1.0" encoding="UTF-8"?>
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>example</groupId>
          <artifactId>consumer</artifactId>
          <version>1</version>
          <properties>
            <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
          </properties>
          <dependencies>
            <dependency>
              <groupId>dev.panamax</groupId>
              <artifactId>panamax-api</artifactId>
              <version>%s</version>
            </dependency>
          </dependencies>
          <build>
            <plugins>
        %s
            </plugins>
          </build>
        </project>
        """.formatted(VERSION, plugin), StandardCharsets.UTF_8);
  }

  /** The first fenced block opening with {@code fence} after {@code heading}. */
  private static String block(String doc, String heading, String fence) {
    final int h = doc.indexOf(heading);
    assertTrue(h >= 0, "docs/ownership.md has no '" + heading + "'");
    final int start = doc.indexOf(fence, h) + fence.length();
    final int end = doc.indexOf("```", start);
    return doc.substring(start, end);
  }

  record Result(int exit, String output) {}

  private static Result mvn(Path project, Path repo) throws Exception {
    final Path home = Path.of(System.getProperty("user.home"));
    final String tail = System.getProperty("panamax.localRepository",
        home.resolve(".m2/repository").toString());
    final ProcessBuilder pb = new ProcessBuilder(List.of(
        ROOT.resolve("mvnw").toString(), "-B", "-ntp", "-o",
        "-Dmaven.repo.local=" + repo,
        "-Dmaven.repo.local.tail=" + tail,
        "compile"))
        .directory(project.toFile())
        .redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("MAVEN_OPTS");
    pb.environment().remove("MAVEN_ARGS");
    final Process p = pb.start();
    final byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "consumer build timed out");
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
