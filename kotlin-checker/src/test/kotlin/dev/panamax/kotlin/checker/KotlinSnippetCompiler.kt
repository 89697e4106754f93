package dev.panamax.kotlin.checker

import org.jetbrains.kotlin.cli.common.ExitCode
import org.jetbrains.kotlin.cli.common.arguments.parseCommandLineArguments
import org.jetbrains.kotlin.cli.common.messages.CompilerMessageSeverity
import org.jetbrains.kotlin.cli.common.messages.CompilerMessageSourceLocation
import org.jetbrains.kotlin.cli.common.messages.MessageCollector
import org.jetbrains.kotlin.cli.jvm.K2JVMCompiler
import org.jetbrains.kotlin.config.Services
import java.io.File
import java.nio.file.Files
import java.nio.file.Path
import java.util.TreeMap
import kotlin.io.path.name
import kotlin.io.path.readLines

/**
 * Compiles Kotlin snippets with the real K2 compiler (kotlin-compiler-embeddable, in process)
 * and this module's plugin given with `-Xplugin=`, against the api, and returns every error
 * with its file, line and column.
 */
object KotlinSnippetCompiler {
  /** One compiler message: the file name, line, column, and the text after `e: ...:`. */
  data class Diagnostic(val file: String, val line: Int, val column: Int, val severity: CompilerMessageSeverity, val text: String) {
    /** The rule key in brackets at the start of an ownership diagnostic, or null. */
    val key: String? = Regex("^\\[(ownership[a-z.]*)]").find(text)?.groupValues?.get(1)

    override fun toString(): String = "$file:$line:$column $severity $text"
  }

  /** The result of one compiler run. */
  data class Result(val exit: ExitCode, val diagnostics: List<Diagnostic>) {
    /** The errors of one file. */
    fun errors(file: String): List<Diagnostic> =
      diagnostics.filter { it.file == file && it.severity.isError }
  }

  private val pluginPath: String = System.getProperty("panamax.kotlinChecker.plugin", "target/classes")

  /** The snippets under `src/test/resources/snippets/DIR`, sorted by name. */
  fun snippets(dir: String): List<Path> {
    val root = Path.of("src/test/resources/snippets", dir)
    Files.list(root).use { s -> return s.filter { it.name.endsWith(".kt") }.sorted().toList() }
  }

  /**
   * The project's own Kotlin extensions (`forEachPacket`, `receive`, `transmit`, ...), compiled
   * with every run from the `kotlin` module's sources so that the snippets use the real ones.
   */
  val projectExtensions: List<Path> = listOf("Batches.kt", "Packets.kt").map {
    Path.of("../kotlin/src/main/kotlin/dev/panamax/kotlin", it)
  }

  /** Compiles [files] and [projectExtensions] together (one compiler run), with or without the plugin. */
  fun compile(files: List<Path>, withPlugin: Boolean = true): Result {
    val out = Files.createTempDirectory("kotlin-snippets")
    try {
      val collected = ArrayList<Diagnostic>()
      val collector = object : MessageCollector {
        private var errors = false

        override fun clear() {
          collected.clear()
        }

        override fun hasErrors(): Boolean = errors

        override fun report(severity: CompilerMessageSeverity, message: String, location: CompilerMessageSourceLocation?) {
          if (severity.isError) errors = true
          val file = location?.path?.let { File(it).name } ?: ""
          collected.add(Diagnostic(file, location?.line ?: 0, location?.column ?: 0, severity, message))
        }
      }
      val args = ArrayList<String>()
      args += listOf("-no-stdlib", "-no-reflect", "-jvm-target", "25", "-d", out.toString(), "-classpath", classpath())
      if (withPlugin) args += "-Xplugin=" + File(pluginPath).absolutePath
      args += (files + projectExtensions).map { it.toAbsolutePath().toString() }
      val compiler = K2JVMCompiler()
      val arguments = compiler.createArguments()
      parseCommandLineArguments(args, arguments)
      val exit = compiler.exec(collector, Services.EMPTY, arguments)
      return Result(exit, collected.toList())
    } finally {
      out.toFile().deleteRecursively()
    }
  }

  /** The api, JSpecify and the standard library from the test class path. */
  private fun classpath(): String =
    System.getProperty("java.class.path").split(File.pathSeparator).filter {
      it.contains("kotlin-stdlib") || it.contains("panamax-api") || it.replace('\\', '/').contains("/api/target/classes") ||
        it.contains("jspecify")
    }.joinToString(File.pathSeparator)

  /** Line number to the rule keys marked `// error: KEY[, KEY]` on that line. */
  fun expected(file: Path): TreeMap<Int, List<String>> {
    val out = TreeMap<Int, List<String>>()
    file.readLines().forEachIndexed { i, l ->
      val m = Regex("// error: ([a-z., ]+)").find(l) ?: return@forEachIndexed
      out[i + 1] = m.groupValues[1].split(',').map { it.trim() }.filter { it.startsWith("ownership") }.sorted()
    }
    return out
  }

  /** Line number to the rule keys reported there. */
  fun keysByLine(diagnostics: List<Diagnostic>): TreeMap<Int, List<String>> {
    val out = TreeMap<Int, MutableList<String>>()
    for (d in diagnostics) {
      out.getOrPut(d.line) { ArrayList() }.add(d.key ?: "other: ${d.text}")
    }
    val sorted = TreeMap<Int, List<String>>()
    out.forEach { (k, v) -> sorted[k] = v.sorted() }
    return sorted
  }
}
