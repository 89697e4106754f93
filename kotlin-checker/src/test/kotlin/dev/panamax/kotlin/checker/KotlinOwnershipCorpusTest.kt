package dev.panamax.kotlin.checker

import org.jetbrains.kotlin.cli.common.ExitCode
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import java.nio.file.Path
import kotlin.io.path.name

/**
 * The plugin on the Kotlin snippet corpus, compiled by the real compiler: every incorrect
 * snippet reports exactly the rule keys marked on its lines, every correct one compiles clean.
 * Each directory is compiled in one compiler run (the diagnostics are mapped back to files).
 */
class KotlinOwnershipCorpusTest {
  @TestFactory
  fun incorrectSnippetsReportExactlyTheMarkedDiagnostics(): List<DynamicTest> = corpus("bad") { p, errors ->
    val expected = KotlinSnippetCompiler.expected(p)
    assertTrue(expected.isNotEmpty(), "an incorrect snippet must mark at least one error")
    assertEquals(expected, KotlinSnippetCompiler.keysByLine(errors), join(errors))
    for (e in errors) {
      assertTrue(e.text.length > e.key!!.length + 30, "no message text: $e")
      assertTrue(e.column > 0, "no column: $e")
    }
  }

  @TestFactory
  fun correctSnippetsCompileClean(): List<DynamicTest> = corpus("good") { _, errors ->
    assertEquals(listOf<KotlinSnippetCompiler.Diagnostic>(), errors, join(errors))
  }

  /**
   * One test per snippet of [dir] (at least 40), all compiled in one compiler run, each checked
   * by [check] with its errors; then the project extensions compiled with them, which must be
   * clean, and the run's exit code (a clean run only for correct snippets).
   */
  private fun corpus(dir: String, check: (Path, List<KotlinSnippetCompiler.Diagnostic>) -> Unit): List<DynamicTest> {
    val files = KotlinSnippetCompiler.snippets(dir)
    assertTrue(files.size >= 40, "at least 40 snippets in $dir, found ${files.size}")
    val result = KotlinSnippetCompiler.compile(files)
    val expectedExit = if (dir == "good") ExitCode.OK else ExitCode.COMPILATION_ERROR
    return files.map { p -> DynamicTest.dynamicTest(p.name) { check(p, result.errors(p.name)) } } +
      KotlinSnippetCompiler.projectExtensions.map { p ->
        DynamicTest.dynamicTest("project extensions: " + p.name) {
          assertEquals(listOf<KotlinSnippetCompiler.Diagnostic>(), result.errors(p.name))
        }
      } + DynamicTest.dynamicTest("the run's exit code") { assertEquals(expectedExit, result.exit, join(result.diagnostics)) }
  }

  /** Without the plugin the incorrect snippets compile: every error above is the plugin's. */
  @Test
  fun withoutThePluginTheIncorrectSnippetsCompile() {
    val some: List<Path> = KotlinSnippetCompiler.snippets("bad").take(5)
    val result = KotlinSnippetCompiler.compile(some, withPlugin = false)
    assertEquals(ExitCode.OK, result.exit, join(result.diagnostics))
  }

  /** The message texts are the Java checker's, key for key. */
  @Test
  fun messagesAreTheJavaCheckers() {
    val java = java.util.Properties()
    Path.of("../checkers/src/main/resources/dev/panamax/checkers/ownership/messages.properties").toFile().inputStream().use { java.load(it) }
    assertEquals(java.stringPropertyNames().sorted().associateWith { java.getProperty(it) }, OwnershipErrors.templates)
  }

  private fun join(ds: List<KotlinSnippetCompiler.Diagnostic>): String = ds.joinToString("\n") { "  $it" }
}
