package dev.panamax.kotlin.checker

import org.jetbrains.kotlin.AbstractKtSourceElement
import org.jetbrains.kotlin.diagnostics.DiagnosticReporter
import org.jetbrains.kotlin.diagnostics.SourceElementPositioningStrategies
import org.jetbrains.kotlin.diagnostics.reportOn
import org.jetbrains.kotlin.fir.analysis.checkers.MppCheckerKind
import org.jetbrains.kotlin.fir.analysis.checkers.context.CheckerContext
import org.jetbrains.kotlin.fir.analysis.checkers.declaration.FirDeclarationChecker
import org.jetbrains.kotlin.fir.declarations.FirAnonymousFunction
import org.jetbrains.kotlin.fir.declarations.FirDeclaration
import org.jetbrains.kotlin.fir.declarations.FirFunction
import org.jetbrains.kotlin.fir.expressions.FirAnnotation
import org.jetbrains.kotlin.fir.expressions.FirLiteralExpression
import org.jetbrains.kotlin.fir.declarations.toAnnotationClassId
import org.jetbrains.kotlin.fir.FirSession
import org.jetbrains.kotlin.fir.symbols.SymbolInternals

/**
 * Runs [OwnershipAnalysis] on every function body the compiler checks, except lambdas (they
 * are analysed with the function that contains them) and functions or classes annotated
 * `@Suppress("ownership")` (or `@Suppress("ownership:KEY")` for one rule).
 */
@OptIn(SymbolInternals::class)
object OwnershipFunctionChecker : FirDeclarationChecker<FirFunction>(MppCheckerKind.Common) {
  /**
   * Analyses [declaration]'s body and reports each finding not suppressed on it or on a
   * declaration that contains it.
   */
  context(context: CheckerContext, reporter: DiagnosticReporter)
  override fun check(declaration: FirFunction) {
    if (declaration is FirAnonymousFunction || declaration.body == null) {
      return
    }
    val lines = context.containingFileSymbol?.fir?.sourceFileLinesMapping ?: return
    val suppressed = suppressedKeys(context.containingDeclarations.map { it.fir } + declaration, context.session)
    if (ALL in suppressed) {
      return
    }
    val analysis = OwnershipAnalysis(context.session, lines)
    analysis.analyse(declaration)
    for (finding in analysis.findings()) {
      if (finding.key in suppressed) {
        continue
      }
      reporter.reportOn(
        finding.source, OwnershipErrors.factory(finding.key), finding.text, context,
        if (finding.atName) SourceElementPositioningStrategies.DECLARATION_NAME else SourceElementPositioningStrategies.DEFAULT,
      )
    }
  }

  private const val ALL = "ownership"

  private fun suppressedKeys(declarations: List<FirDeclaration>, session: FirSession): Set<String> {
    val keys = HashSet<String>()
    for (d in declarations) {
      for (a in d.annotations) {
        if (a.toAnnotationClassId(session)?.asSingleFqName()?.asString() == "kotlin.Suppress") {
          a.stringArguments().forEach { s ->
            if (s == ALL) keys.add(ALL) else if (s.startsWith("$ALL:")) keys.add(s.substring(ALL.length + 1))
          }
        }
      }
    }
    return keys
  }

  private fun FirAnnotation.stringArguments(): List<String> {
    val out = ArrayList<String>()
    for (value in argumentMapping.mapping.values) {
      value.accept(object : org.jetbrains.kotlin.fir.visitors.FirVisitorVoid() {
        override fun visitElement(element: org.jetbrains.kotlin.fir.FirElement) {
          if (element is FirLiteralExpression && element.value is String) {
            out.add(element.value as String)
          }
          element.acceptChildren(this)
        }
      })
    }
    return out
  }
}

/**
 * One diagnostic found by the analysis, before suppressions.
 *
 * @property source where it is reported
 * @property key its rule key, as in `messages.properties`
 * @property text its full text: `[key] ` and the filled-in message
 * @property atName true to point at the declaration's name rather than the whole element
 */
data class Finding(
  val source: AbstractKtSourceElement,
  val key: String,
  val text: String,
  val atName: Boolean,
)
