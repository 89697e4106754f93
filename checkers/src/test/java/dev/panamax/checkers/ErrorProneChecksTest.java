package dev.panamax.checkers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.panamax.checkers.SnippetCompiler.Finding;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** RestrictedNativeAccess and IgnoredOwnedPacket, loaded as Error Prone plugins by javac. */
class ErrorProneChecksTest {

  /** javac's own warnings (sun.proprietary, removal) are not under test here. */
  private static List<Finding> check(Path source) throws Exception {
    return compile(source).stream().filter(f -> !f.key().startsWith("javac.compiler.warn")).toList();
  }

  private static List<Finding> compile(Path source) throws Exception {
    return SnippetCompiler.compile(source, null, List.of(
        "-processorpath", System.getProperty("java.class.path"),
        "-Xplugin:ErrorProne -XepDisableAllChecks -Xep:RestrictedNativeAccess:ERROR"
            + " -Xep:IgnoredOwnedPacket:ERROR"));
  }

  @TestFactory
  Stream<DynamicTest> incorrectSnippets() {
    return SnippetCompiler.snippets("errorprone/bad").stream().map(p -> DynamicTest.dynamicTest(
        p.getFileName().toString(), () -> {
          TreeMap<Long, List<String>> expected = SnippetCompiler.expected(p);
          assertFalse(expected.isEmpty());
          List<Finding> findings = check(p);
          assertEquals(expected, SnippetCompiler.keysByLine(findings),
              () -> OwnershipCheckerTest.join(findings));
        }));
  }

  @TestFactory
  Stream<DynamicTest> correctSnippets() {
    return SnippetCompiler.snippets("errorprone/good").stream().map(p -> DynamicTest.dynamicTest(
        p.getFileName().toString(), () -> {
          List<Finding> findings = check(p);
          assertEquals(List.of(), findings, () -> OwnershipCheckerTest.join(findings));
        }));
  }
}
