package dev.panamax.checkers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.checkers.SnippetCompiler.Finding;
import dev.panamax.checkers.ownership.OwnershipChecker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The ownership checker and Error Prone in one javac, as a build runs them: every error of both
 * tools, in every file, comes out of one compilation, whichever file javac analyses first; Error
 * Prone's errors come first, then the checker's. A file javac itself cannot attribute is skipped
 * by the checker, and the other files are still checked.
 */
class OneCompilationShowsEveryErrorTest {
  private static final List<String> BUILD_OPTIONS = List.of(
      "-processorpath", System.getProperty("java.class.path"),
      "-processor", OwnershipChecker.class.getName(),
      "-Xplugin:ErrorProne -XepDisableAllChecks -Xep:RestrictedNativeAccess:ERROR"
          + " -Xep:IgnoredOwnedPacket:ERROR");

  private static Path snippet(String name) {
    return SnippetCompiler.snippets("together").stream()
        .filter(p -> p.getFileName().toString().equals(name)).findFirst().orElseThrow();
  }

  /** Expected keys by file and line, from the markers of each file. */
  private static Map<String, TreeMap<Long, List<String>>> expected(List<Path> files) throws IOException {
    Map<String, TreeMap<Long, List<String>>> out = new TreeMap<>();
    for (Path f : files) {
      out.put(f.getFileName().toString(), SnippetCompiler.expected(f));
    }
    return out;
  }

  private static Map<String, TreeMap<Long, List<String>>> actual(List<Path> files, List<Finding> findings) {
    Map<String, TreeMap<Long, List<String>>> out = new TreeMap<>();
    for (Path f : files) {
      String name = f.getFileName().toString();
      out.put(name, SnippetCompiler.keysByLine(findings.stream().filter(x -> x.file().equals(name)).toList()));
    }
    return out;
  }

  @Test
  void everyErrorOfBothToolsInOneCompilationWhicheverFileComesFirst() throws Exception {
    List<Path> files = List.of(snippet("DroppedResult.java"), snippet("FreedTwice.java"), snippet("BothTools.java"));
    for (int first = 0; first < files.size(); first++) {
      List<Path> order = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        order.add(files.get((first + i) % files.size()));
      }
      List<Finding> findings = SnippetCompiler.compile(order, null, BUILD_OPTIONS);
      assertEquals(expected(files), actual(files, findings),
          () -> "order " + order + ":\n" + OwnershipCheckerTest.join(findings));
      int lastErrorProne = -1;
      int firstOwnership = Integer.MAX_VALUE;
      for (int i = 0; i < findings.size(); i++) {
        if (findings.get(i).key().startsWith("ownership.")) {
          firstOwnership = Math.min(firstOwnership, i);
        } else {
          lastErrorProne = i;
        }
      }
      assertTrue(lastErrorProne < firstOwnership, () -> "Error Prone's errors first:\n" + OwnershipCheckerTest.join(findings));
    }
  }

  @Test
  void aFileJavacCannotAttributeIsSkippedAndTheOthersAreChecked() throws Exception {
    List<Path> files = List.of(snippet("NotAttributed.java"), snippet("FreedTwice.java"));
    List<Finding> findings = SnippetCompiler.compile(
        files, List.of(new OwnershipChecker()), List.of());
    assertEquals(expected(files), actual(files, findings), () -> OwnershipCheckerTest.join(findings));
  }
}
