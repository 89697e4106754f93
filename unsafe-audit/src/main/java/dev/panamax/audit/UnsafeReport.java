package dev.panamax.audit;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Generates the unsafe report. {@code --write} rewrites docs/unsafe-report.md and
 * docs/unsafe-report.json and prints the Markdown; {@code --check} exits with status 1 when the
 * committed files differ from what this source tree produces; no option prints the Markdown.
 * The repository root is found by walking up from the working directory (or
 * {@code -Dpanamax.root=DIR}).
 */
public final class UnsafeReport {
  private UnsafeReport() {}

  /** The Markdown report, relative to the repository root. */
  public static final String MARKDOWN = "docs/unsafe-report.md";

  /** The JSON report, relative to the repository root. */
  public static final String JSON = "docs/unsafe-report.json";

  /** What to tell someone whose committed report is stale. */
  public static final String REGENERATE = "run ./panamax audit and commit docs/unsafe-report.*";

  /**
   * Runs the generator.
   *
   * @param args {@code --write}, {@code --check} or nothing
   * @throws IOException when the reports cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    List<String> options = List.of(args);
    Path root = RepoRoot.find();
    Report report = Report.scan(root);
    String md = ReportFormat.markdown(report);
    String json = ReportFormat.json(report);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    if (options.contains("--check")) {
      List<String> stale = stale(root, md, json);
      if (!stale.isEmpty()) {
        System.err.println("stale: " + String.join(", ", stale) + ": " + REGENERATE);
        System.exit(1);
      }
      out.println("unsafe report is up to date: " + ReportFormat.percent(report.share()));
      return;
    }
    if (options.contains("--write")) {
      Files.createDirectories(root.resolve("docs"));
      Files.writeString(root.resolve(MARKDOWN), md, StandardCharsets.UTF_8);
      Files.writeString(root.resolve(JSON), json, StandardCharsets.UTF_8);
    }
    out.print(md);
    if (options.contains("--write")) {
      out.println();
      out.println("wrote " + root.resolve(MARKDOWN) + " and " + root.resolve(JSON));
    }
  }

  /**
   * Lists the committed report files that differ from the given content (line endings ignored).
   *
   * @param root the repository root
   * @param md the Markdown the sources produce now
   * @param json the JSON the sources produce now
   * @return the stale or missing files, relative to the root
   * @throws IOException when a file exists but cannot be read
   */
  public static List<String> stale(Path root, String md, String json) throws IOException {
    java.util.ArrayList<String> stale = new java.util.ArrayList<>();
    if (!same(root.resolve(MARKDOWN), md)) {
      stale.add(MARKDOWN);
    }
    if (!same(root.resolve(JSON), json)) {
      stale.add(JSON);
    }
    return stale;
  }

  private static boolean same(Path file, String expected) throws IOException {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    String actual = Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
    return actual.equals(expected);
  }
}
