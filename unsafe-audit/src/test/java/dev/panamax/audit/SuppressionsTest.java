package dev.panamax.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/ownership.md lists every suppression in the main code ("Every suppression in the project's
 * code"): each {@code @SuppressWarnings} (Java) or {@code @Suppress} (Kotlin) of an audited module
 * has a row naming its class and method, the table has no other row, and the counts in the text
 * above the table are the real ones.
 */
class SuppressionsTest {
  private static final Pattern ANNOTATION = Pattern.compile("@Suppress(?:Warnings)?\\(\"([^\"]*)\"");
  private static final Pattern ANNOTATION_ONLY = Pattern.compile("\\s*@\\w+(\\(.*\\))?\\s*(//.*)?");
  private static final Pattern METHOD = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");

  /** One suppression in the code: the type (file name), the member it is on and its key. */
  record Found(String type, String member, String key) {}

  @Test
  void everySuppressionInTheCodeIsListedWithItsJustification() throws IOException {
    final Path root = RepoRoot.find();
    final List<Found> found = scan(root);
    final List<String> rows = tableRows(Files.readString(root.resolve("docs/ownership.md")));
    for (Found f : found) {
      final String name = f.type() + "." + f.member() + "(";
      assertTrue(rows.stream().anyMatch(r -> r.contains(name) && r.contains("`" + f.key() + "`")),
          () -> "docs/ownership.md has no row for @SuppressWarnings(\"" + f.key() + "\") on " + name + ")");
    }
    assertEquals(found.size(), rows.size(),
        () -> "docs/ownership.md lists " + rows.size() + " suppressions, the code has " + found.size() + ": " + found);
  }

  @Test
  void theCountsAboveTheTableAreTheRealOnes() throws IOException {
    final Path root = RepoRoot.find();
    final List<Found> found = scan(root);
    final String doc = Files.readString(root.resolve("docs/ownership.md")).replaceAll("\\s+", " ");
    final long ownership = found.stream().filter(f -> f.key().startsWith("ownership")).count();
    final long errorProne = found.size() - ownership;
    assertTrue(doc.contains("**" + ownership + " ownership suppressions, " + errorProne + " Error Prone suppressions**"),
        () -> "docs/ownership.md should say " + ownership + " ownership and " + errorProne + " Error Prone suppressions");
  }

  /** Every suppression in the main sources of the modules the audit counts. */
  private static List<Found> scan(Path root) throws IOException {
    final List<Found> found = new ArrayList<>();
    for (AuditModule module : AuditConfig.MODULES) {
      if (!module.inShare()) {
        continue; // the checkers module suppresses Checker Framework warnings of its own
      }
      for (String dir : List.of("src/main/java", "src/main/kotlin")) {
        final Path sources = root.resolve(module.dir()).resolve(dir);
        if (!Files.isDirectory(sources)) {
          continue;
        }
        try (Stream<Path> files = Files.walk(sources)) {
          for (Path file : files.filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".kt")).toList()) {
            found.addAll(scanFile(file));
          }
        }
      }
    }
    return found;
  }

  private static List<Found> scanFile(Path file) throws IOException {
    final List<String> lines = Files.readAllLines(file);
    final String type = String.valueOf(file.getFileName()).replaceAll("\\.(java|kt)$", "");
    final List<Found> found = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      final Matcher m = ANNOTATION.matcher(lines.get(i));
      if (!m.find()) {
        continue;
      }
      String member = type; // on the type itself unless a method follows
      for (int j = i + 1; j < Math.min(lines.size(), i + 4); j++) {
        final Matcher method = METHOD.matcher(lines.get(j));
        if (!ANNOTATION_ONLY.matcher(lines.get(j)).matches() && method.find()) {
          member = method.group(1);
          break;
        }
      }
      found.add(new Found(type, member, m.group(1)));
    }
    return found;
  }

  /** The rows of the table under "Every suppression in the project's code". */
  private static List<String> tableRows(String doc) {
    final int heading = doc.indexOf("### Every suppression in the project's code");
    assertTrue(heading >= 0, "docs/ownership.md has no 'Every suppression' section");
    final List<String> rows = new ArrayList<>();
    boolean inTable = false;
    for (String line : doc.substring(heading).split("\n")) {
      if (line.startsWith("|")) {
        inTable = true;
        if (!line.startsWith("| Where") && !line.startsWith("|---")) {
          rows.add(line);
        }
      } else if (inTable) {
        break;
      }
    }
    return rows;
  }
}
