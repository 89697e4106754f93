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
 * {@code ./mvnw} in offline mode. With five planted mistakes in five files (a use after send, a
 * method reference that frees lent packets, an enum switch statement without default, a catch
 * block that returns without freeing, a dropped allocation that both Error Prone and the checker
 * report) one build must print every one of the six errors, and once they are fixed it must
 * pass.
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

  /**
   * More files of the same build, one per kind of mistake that used to compile or to hide other
   * errors: a method reference that frees lent packets, a switch statement without default, a
   * catch block that drops a packet, and an Error Prone error in a file of its own. Each maps to
   * its buggy text, its fixed text and the errors the buggy one must produce.
   */
  record Case(String file, String buggy, String bug, String fix, List<String> errors) {
    String fixed() {
      return buggy.replace(bug, fix);
    }
  }

  static final List<Case> CASES = List.of(
      new Case("Visit.java", """
          package demo;

          import dev.panamax.api.OwnedPacket;
          import dev.panamax.api.PacketBatch;

          final class Visit {
            static void clear(PacketBatch batch) {
              batch.forEach(OwnedPacket::free);
            }
          }
          """, "batch.forEach(OwnedPacket::free);", "batch.freeAll();",
          List.of("Visit.java:[8,19] [ownership.borrowed.consumed] the packet that PacketVisitor.visit()"
              + " lends to the method reference OwnedPacket::free is borrowed and cannot be freed by"
              + " free()")),
      new Case("Route.java", """
          package demo;

          import dev.panamax.api.OwnedPacket;
          import dev.panamax.api.PacketBatch;

          final class Route {
            enum Verdict { FORWARD, DROP }

            static void route(PacketBatch in, PacketBatch out, Verdict v) {
              OwnedPacket p = in.take();
              switch (v) {
                case FORWARD -> out.add(p);
                case DROP -> p.free();
              }
            }
          }
          """, "case DROP -> p.free();", "default -> p.free();",
          List.of("Route.java:[10,17] [ownership.leak] packet 'p' (owned since line 10) leaks on this"
              + " path: no case of the switch at line 11 matches: it has no default")),
      new Case("Offer.java", """
          package demo;

          import dev.panamax.api.Mempool;
          import dev.panamax.api.OwnedPacket;
          import dev.panamax.api.PacketBatch;

          final class Offer {
            static boolean offer(PacketBatch batch, Mempool pool) {
              OwnedPacket p = pool.alloc(60);
              try {
                batch.add(p);
              } catch (IllegalStateException full) {
                return false;
              }
              return true;
            }
          }
          """, "return false;", "p.free();\n      return false;",
          List.of("Offer.java:[13,7] [ownership.leak] packet 'p' (owned since line 9) leaks on this"
              + " path: the early return at line 13")),
      new Case("Warm.java", """
          package demo;

          import dev.panamax.api.Mempool;

          final class Warm {
            static void warm(Mempool pool) {
              pool.alloc(60);
            }
          }
          """, "pool.alloc(60);", "pool.alloc(60).free();",
          List.of("Warm.java:[7,15] [IgnoredOwnedPacket] the OwnedPacket returned by alloc() is dropped",
              "Warm.java:[7,15] [ownership.leak.unassigned] the packet returned by alloc() is owned by"
                  + " the caller but is dropped")));

  @TempDir Path temp;

  @Test
  void aConsumerBuildShowsEveryErrorOfBothToolsAndPassesWhenTheyAreFixed() throws Exception {
    final Path repo = temp.resolve("repo");
    deploy(repo);
    final Path project = temp.resolve("consumer");
    writeProject(project);
    final Path sources = project.resolve("src/main/java/demo");
    Files.createDirectories(sources);

    Files.writeString(sources.resolve("Send.java"), BUGGY, StandardCharsets.UTF_8);
    for (Case c : CASES) {
      Files.writeString(sources.resolve(c.file()), c.buggy(), StandardCharsets.UTF_8);
    }
    final Result buggy = mvn(project, repo);
    System.out.println("Consumer build with the planted bugs (exit " + buggy.exit() + "):");
    buggy.output().lines().filter(l -> l.contains("[ERROR] /") && l.contains(".java:[")).distinct()
        .forEach(l -> System.out.println("  " + l.replaceAll("^\\[ERROR\\] \\S*/demo/", "")));
    assertTrue(buggy.exit() != 0, buggy::output);
    assertTrue(buggy.output().contains(EXPECTED), buggy::output);
    for (Case c : CASES) {
      for (String error : c.errors()) {
        assertTrue(buggy.output().contains(error), () -> "missing: " + error + "\n" + buggy.output());
      }
    }
    assertEquals(1 + CASES.stream().mapToInt(c -> c.errors().size()).sum(), errorLines(buggy.output()),
        buggy::output);
    assertTrue(buggy.output().contains("BUILD FAILURE"), buggy::output);

    Files.writeString(sources.resolve("Send.java"), FIXED, StandardCharsets.UTF_8);
    for (Case c : CASES) {
      assertTrue(c.buggy().contains(c.bug()), c.file());
      Files.writeString(sources.resolve(c.file()), c.fixed(), StandardCharsets.UTF_8);
    }
    final Result fixed = mvn(project, repo);
    assertEquals(0, fixed.exit(), fixed::output);
    assertTrue(fixed.output().contains("BUILD SUCCESS"), fixed::output);
  }

  /** Distinct compiler error lines (Maven repeats them in its failure summary). */
  private static long errorLines(String output) {
    return output.lines().filter(l -> l.startsWith("[ERROR] ") && l.contains(".java:["))
        .map(l -> l.substring(l.lastIndexOf('/', l.indexOf(".java:[")) + 1)).distinct().count();
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
