package dev.panamax.kotlin.checker

import org.jetbrains.kotlin.compiler.plugin.CompilerPluginRegistrar
import org.jetbrains.kotlin.config.CompilerConfiguration
import org.jetbrains.kotlin.fir.FirSession
import org.jetbrains.kotlin.fir.analysis.checkers.declaration.DeclarationCheckers
import org.jetbrains.kotlin.fir.analysis.checkers.declaration.FirDeclarationChecker
import org.jetbrains.kotlin.fir.analysis.extensions.FirAdditionalCheckersExtension
import org.jetbrains.kotlin.fir.declarations.FirFunction
import org.jetbrains.kotlin.fir.extensions.FirExtensionRegistrar
import org.jetbrains.kotlin.fir.extensions.FirExtensionRegistrarAdapter

/**
 * Entry point the Kotlin compiler finds through `META-INF/services` when the jar is given with
 * `-Xplugin=` (or as a `kotlin-maven-plugin` dependency): it adds the ownership checkers to the
 * K2 (FIR) front end.
 */
class OwnershipPluginRegistrar : CompilerPluginRegistrar() {
  /** The plugin's id: [PLUGIN_ID]. */
  override val pluginId: String = PLUGIN_ID

  /** True: the checks run in the K2 (FIR) front end only. */
  override val supportsK2: Boolean = true

  /** Registers [OwnershipFirRegistrar]; the plugin takes no options from [configuration]. */
  override fun ExtensionStorage.registerExtensions(configuration: CompilerConfiguration) {
    FirExtensionRegistrarAdapter.registerExtension(OwnershipFirRegistrar())
  }

  /** The plugin's constants. */
  companion object {
    /** The plugin's id, as in `-P plugin:dev.panamax.ownership:...`. */
    const val PLUGIN_ID: String = "dev.panamax.ownership"
  }
}

/** Registers the diagnostics and the checker extension with the FIR session. */
class OwnershipFirRegistrar : FirExtensionRegistrar() {
  override fun ExtensionRegistrarContext.configurePlugin() {
    +::OwnershipCheckers
    registerDiagnosticContainers(OwnershipErrors)
  }
}

/** The checkers: one on every function body (named functions, accessors, constructors, init). */
class OwnershipCheckers(session: FirSession) : FirAdditionalCheckersExtension(session) {
  /** The declaration checkers: [OwnershipFunctionChecker] on every function. */
  override val declarationCheckers: DeclarationCheckers = object : DeclarationCheckers() {
    override val functionCheckers: Set<FirDeclarationChecker<FirFunction>> = setOf(OwnershipFunctionChecker)
  }
}
