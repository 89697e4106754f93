package dev.panamax.audit;

/**
 * Code lines of one package in one module's main sources.
 *
 * @param module the module directory
 * @param packageName the package, or {@code (module-info)} for a module declaration
 * @param files source files
 * @param codeLines code lines
 * @param inShare whether the lines count in the unsafe share's denominator
 */
public record PackageStats(
    String module, String packageName, int files, int codeLines, boolean inShare) {}
