package dev.panamax.checkers;

import dev.panamax.api.OwnedPacket;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.annotation.processing.Processor;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Compiles one snippet with javax.tools and compares its diagnostics with the markers in it. */
final class SnippetCompiler {
  /** A trailing {@code // error: key[, key...]} marks the diagnostics expected on that line. */
  private static final Pattern MARKER = Pattern.compile("//\\s*error:\\s*([\\w.]+(?:\\s*,\\s*[\\w.]+)*)");
  /** Both the Checker Framework and Error Prone start a message with {@code [key]}. */
  private static final Pattern KEY = Pattern.compile("^\\[([\\w.]+)\\]\\s*(.*)", Pattern.DOTALL);

  record Finding(String file, long line, String key, String text) {
    @Override
    public String toString() {
      return file + " line " + line + ": [" + key + "] " + text;
    }
  }

  private SnippetCompiler() {}

  static List<Path> snippets(String dir) {
    try {
      Path root = Path.of(SnippetCompiler.class.getResource("/snippets/" + dir).toURI());
      try (Stream<Path> s = Files.list(root)) {
        return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static String apiClasspath() {
    try {
      return Path.of(OwnedPacket.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Expected (line → sorted keys) from the markers. */
  static TreeMap<Long, List<String>> expected(Path source) throws IOException {
    TreeMap<Long, List<String>> out = new TreeMap<>();
    List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = MARKER.matcher(lines.get(i));
      if (m.find()) {
        List<String> keys = new ArrayList<>();
        for (String k : m.group(1).split(",")) {
          keys.add(k.trim());
        }
        keys.sort(null);
        out.put((long) (i + 1), keys);
      }
    }
    return out;
  }

  static TreeMap<Long, List<String>> keysByLine(List<Finding> findings) {
    TreeMap<Long, List<String>> out = new TreeMap<>();
    for (Finding f : findings) {
      out.computeIfAbsent(f.line(), l -> new ArrayList<>()).add(f.key());
    }
    out.values().forEach(l -> l.sort(null));
    return out;
  }

  /**
   * Compiles {@code source}; {@code processors} run in-process (null: none), and {@code extraOptions}
   * are added to javac's options. Returns every warning and error.
   */
  static List<Finding> compile(Path source, List<Processor> processors, List<String> extraOptions)
      throws IOException {
    return compile(List.of(source), processors, extraOptions);
  }

  /** Compiles several sources together, in this order, as one javac invocation. */
  static List<Finding> compile(List<Path> sources, List<Processor> processors, List<String> extraOptions)
      throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
    Path out = Files.createTempDirectory("snippet");
    try (StandardJavaFileManager fm = javac.getStandardFileManager(diags, Locale.ROOT, StandardCharsets.UTF_8)) {
      List<String> options = new ArrayList<>(List.of(
          "-classpath", apiClasspath(),
          "-d", out.toString(),
          "-proc:full",
          "-XDcompilePolicy=simple",
          "--should-stop=ifError=FLOW",
          "-Xlint:-options"));
      options.addAll(extraOptions);
      StringWriter log = new StringWriter();
      JavaCompiler.CompilationTask task =
          javac.getTask(log, fm, diags, options, null,
              fm.getJavaFileObjects(sources.stream().map(Path::toFile).toArray(File[]::new)));
      if (processors != null && !processors.isEmpty()) {
        task.setProcessors(processors);
      }
      task.call();
      List<Finding> findings = new ArrayList<>();
      for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics()) {
        if (d.getKind() == Diagnostic.Kind.NOTE) {
          continue;
        }
        String msg = d.getMessage(Locale.ROOT);
        Matcher m = KEY.matcher(msg);
        boolean tagged = m.find();
        String key = tagged ? m.group(1) : "javac." + d.getCode();
        String text = tagged ? m.group(2) : msg;
        String file = d.getSource() == null ? "" : Path.of(d.getSource().toUri()).getFileName().toString();
        findings.add(new Finding(file, d.getLineNumber(), key, text));
      }
      if (!log.toString().isBlank()) {
        findings.add(new Finding("", 0, "javac.output", log.toString()));
      }
      return findings;
    } finally {
      deleteRecursively(out.toFile());
    }
  }

  private static void deleteRecursively(File f) {
    File[] children = f.listFiles();
    if (children != null) {
      for (File c : children) {
        deleteRecursively(c);
      }
    }
    f.delete();
  }
}
