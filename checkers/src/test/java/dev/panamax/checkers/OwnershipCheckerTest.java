package dev.panamax.checkers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.checkers.SnippetCompiler.Finding;
import dev.panamax.checkers.ownership.OwnershipChecker;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The ownership checker on the snippet corpus: exact keys at exact lines, clean code clean. */
class OwnershipCheckerTest {

  private static List<Finding> check(Path source) throws Exception {
    return SnippetCompiler.compile(source, List.of(new OwnershipChecker()), List.of());
  }

  @TestFactory
  Stream<DynamicTest> incorrectSnippetsReportExactlyTheMarkedDiagnostics() {
    List<Path> bad = SnippetCompiler.snippets("ownership/bad");
    assertTrue(bad.size() >= 40, "at least 40 incorrect snippets, found " + bad.size());
    return bad.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
      TreeMap<Long, List<String>> expected = SnippetCompiler.expected(p);
      assertFalse(expected.isEmpty(), "an incorrect snippet must mark at least one error");
      List<Finding> findings = check(p);
      assertEquals(expected, SnippetCompiler.keysByLine(findings), () -> "diagnostics:\n" + join(findings));
      for (Finding f : findings) {
        // The text must come from messages.properties, not be the bare key.
        assertTrue(f.text().length() > 30 && !f.text().startsWith(f.key()), () -> "no message text: " + f);
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> correctSnippetsCompileClean() {
    List<Path> good = SnippetCompiler.snippets("ownership/good");
    assertTrue(good.size() >= 40, "at least 40 correct snippets, found " + good.size());
    return good.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
      List<Finding> findings = check(p);
      assertEquals(List.of(), findings, () -> "expected no diagnostics:\n" + join(findings));
    }));
  }

  /** The way a build uses it: found by name on the processor path, messages read from its jar. */
  @Test
  void runsAsANamedProcessorFromTheProcessorPathWithRealMessages() throws Exception {
    Path p = SnippetCompiler.snippets("ownership/bad").stream()
        .filter(s -> s.getFileName().toString().equals("UseAfterFree.java")).findFirst().orElseThrow();
    List<Finding> findings = SnippetCompiler.compile(p, null, List.of(
        "-processorpath", System.getProperty("java.class.path"),
        "-processor", OwnershipChecker.class.getName()));
    assertEquals(SnippetCompiler.expected(p), SnippetCompiler.keysByLine(findings), () -> join(findings));
    assertTrue(findings.get(0).text().contains("packet 'p' is used after it was consumed at line"),
        () -> join(findings));
  }

  static String join(List<Finding> findings) {
    StringBuilder sb = new StringBuilder();
    findings.forEach(f -> sb.append("  ").append(f).append('\n'));
    return sb.toString();
  }
}
