package dev.panamax.checkers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.panamax.api.OwnedPacket;
import dev.panamax.checkers.ownership.OwnershipChecker;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples module's real sources, plus one planted file with a use after send, compiled the
 * way the build compiles them (Error Prone plugin and the ownership checker from the processor
 * path, the parent pom's javac options): the compilation must fail with exactly the checker's
 * diagnostic, and the same sources without the planted file must compile clean.
 */
class ExamplesPlantedBugTest {
  /** Planted next to the real sources, in their package: forwards a packet, then touches it. */
  static final String PLANTED = """
      package dev.panamax.examples;

      import dev.panamax.api.Mempool;
      import dev.panamax.api.NetworkDevice;
      import dev.panamax.api.OwnedPacket;
      import dev.panamax.api.PacketBatch;

      final class PlantedUseAfterSend {
        static void sendOne(NetworkDevice device, Mempool pool, PacketBatch batch) {
          final OwnedPacket p = pool.alloc(60);
          p.fill(0, 60, (byte) 0);
          batch.add(p);
          device.txBatch(0, batch);
          Forwarder.touch(p); // use after send: the batch, then the device, owns it
          batch.freeAll();
        }
      }
      """;

  static final String EXPECTED = "PlantedUseAfterSend.java:14: [ownership.use.after.consume] packet 'p'"
      + " is used after it was consumed at line 12 (moved into a batch by PacketBatch.add());"
      + " a consumed packet handle is dead and must not be touched again";

  @TempDir Path temp;

  @Test
  void aPlantedUseAfterSendInTheExamplesFailsTheirCompilationWithTheCheckersMessage()
      throws Exception {
    final Path planted = temp.resolve("dev/panamax/examples/PlantedUseAfterSend.java");
    Files.createDirectories(planted.getParent());
    Files.writeString(planted, PLANTED, StandardCharsets.UTF_8);
    final List<Path> sources = new ArrayList<>(exampleSources());
    sources.add(planted);

    final List<String> errors = compile(sources);

    System.out.println("Planted use-after-send in examples, javac reports:");
    errors.forEach(e -> System.out.println("  " + e));
    assertEquals(List.of(EXPECTED), errors);
  }

  @Test
  void theExamplesCompileCleanUnderTheSameCheckers() throws Exception {
    assertEquals(List.of(), compile(exampleSources()));
  }

  /** Every source file of the examples module except module-info (compiled on the classpath). */
  static List<Path> exampleSources() throws IOException {
    final Path root = Path.of(System.getProperty("panamax.root", ".."))
        .resolve("examples/src/main/java").normalize();
    try (Stream<Path> s = Files.walk(root)) {
      final List<Path> out = s.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> !p.getFileName().toString().equals("module-info.java"))
          .sorted().toList();
      assertFalse(out.isEmpty(), "no example sources under " + root);
      return out;
    }
  }

  /** Compiles with the build's options; returns the errors as "File.java:line: message". */
  private List<String> compile(List<Path> sources) throws IOException {
    final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    final DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
    final Path out = Files.createDirectories(temp.resolve("classes-" + System.nanoTime()));
    try (StandardJavaFileManager fm =
        javac.getStandardFileManager(diags, Locale.ROOT, StandardCharsets.UTF_8)) {
      final List<String> options = List.of(
          "--release", "25",
          "-classpath", String.join(File.pathSeparator,
              jarOf(OwnedPacket.class), jarOf(picocli.CommandLine.class),
              jarOf(org.jspecify.annotations.NullMarked.class)),
          "-d", out.toString(),
          // The annotation processor path of impl and examples: error_prone_core and the
          // checkers jar (here: this module's classes) with their dependencies.
          "-processorpath", System.getProperty("java.class.path"),
          "-processor", OwnershipChecker.class.getName(),
          // The parent pom's compiler arguments.
          "-XDcompilePolicy=simple",
          "--should-stop=ifError=FLOW",
          "-Xlint:all,-processing,-serial,-requires-automatic",
          "-Xplugin:ErrorProne -XepExcludedPaths:.*/target/generated-sources/.*"
              + " -XepDisableWarningsInGeneratedCode");
      final StringWriter log = new StringWriter();
      final boolean ok = javac.getTask(log, fm, diags, options, null,
          fm.getJavaFileObjectsFromPaths(sources)).call();
      final List<String> errors = new ArrayList<>();
      for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics()) {
        if (d.getKind() == Diagnostic.Kind.ERROR) {
          final String file = d.getSource() == null ? "?" : Path.of(d.getSource().toUri()).getFileName().toString();
          errors.add(file + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT));
        }
      }
      assertEquals(errors.isEmpty(), ok, () -> "javac result vs errors: " + errors + "\n" + log);
      return errors;
    }
  }

  private static String jarOf(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
