package dev.panamax.audit;

/**
 * One Maven module the audit looks at.
 *
 * @param dir the module's directory under the repository root
 * @param packageSuffix its package root below the audit root ({@code api} for {@code dev.panamax.api})
 * @param role what the dependency rules allow it to use
 * @param inShare whether its main code lines count in the unsafe share's denominator
 */
public record AuditModule(String dir, String packageSuffix, Role role, boolean inShare) {

  /** What a module is, for the dependency-direction rules. */
  public enum Role {
    /** Public types: may depend on no other Panamax package. */
    API,
    /** The implementation; contains the unsafe package. */
    IMPL,
    /** Applications (examples, benchmarks, testbed): may use the API only. */
    APP,
    /** Build tools such as the compiler plugin: confinement rules only. */
    TOOL
  }

  /**
   * Returns the module's package root under {@code root}.
   *
   * @param root e.g. {@code dev.panamax}
   * @return e.g. {@code dev.panamax.api}
   */
  public String packageName(String root) {
    return root + "." + packageSuffix;
  }
}
