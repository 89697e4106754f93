package dev.panamax.kotlin.checker

import org.jetbrains.kotlin.com.intellij.psi.PsiElement
import org.jetbrains.kotlin.diagnostics.KtDiagnosticFactory1
import org.jetbrains.kotlin.diagnostics.KtDiagnosticFactoryToRendererMap
import org.jetbrains.kotlin.diagnostics.KtDiagnosticsContainer
import org.jetbrains.kotlin.diagnostics.Severity
import org.jetbrains.kotlin.diagnostics.SourceElementPositioningStrategies
import org.jetbrains.kotlin.diagnostics.rendering.BaseDiagnosticRendererFactory
import org.jetbrains.kotlin.diagnostics.rendering.CommonRenderers
import java.util.Properties

/**
 * The ownership diagnostics. Each rule key of the Java checker is one error whose text is the
 * rule key in brackets followed by the message of `messages.properties` (the same file as the
 * Java checker's) with its arguments filled in.
 */
object OwnershipErrors : KtDiagnosticsContainer() {
  /** The message templates, keyed by rule key. */
  val templates: Map<String, String> = loadTemplates()

  private val byKey = LinkedHashMap<String, KtDiagnosticFactory1<String>>()

  /** The error of one rule key. */
  fun factory(key: String): KtDiagnosticFactory1<String> =
    byKey[key] ?: throw IllegalArgumentException("unknown ownership rule key '$key'")

  /** The full text of a diagnostic: `[key] ` and the template filled with [args]. */
  fun text(key: String, vararg args: Any): String =
    "[" + key + "] " + String.format(templates[key] ?: throw IllegalArgumentException(key), *args)

  /** Renders each diagnostic as its full text, which [text] composed. */
  override fun getRendererFactory(): BaseDiagnosticRendererFactory = Renderers

  private object Renderers : BaseDiagnosticRendererFactory() {
    override val MAP: KtDiagnosticFactoryToRendererMap by KtDiagnosticFactoryToRendererMap("PanamaxOwnership") { map ->
      for (factory in byKey.values) {
        map.put(factory, "{0}", CommonRenderers.STRING)
      }
    }
  }

  init {
    for (key in templates.keys) {
      val name = key.uppercase().replace('.', '_')
      byKey[key] = KtDiagnosticFactory1(
        name, Severity.ERROR, SourceElementPositioningStrategies.DEFAULT, PsiElement::class, Renderers,
      )
    }
  }

  private fun loadTemplates(): Map<String, String> {
    val properties = Properties()
    val stream = OwnershipErrors::class.java.getResourceAsStream("messages.properties")
      ?: throw IllegalStateException("dev/panamax/kotlin/checker/messages.properties is missing from the plugin jar")
    stream.use { properties.load(it) }
    return properties.stringPropertyNames().sorted().associateWith { properties.getProperty(it) }
  }
}
