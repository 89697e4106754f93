package dev.panamax.audit;

import dev.panamax.audit.AuditModule.Role;
import java.util.List;
import java.util.Map;

/**
 * What the audit covers. Adding a module is one line in {@link #MODULES} (plus, in
 * unsafe-audit/pom.xml, a test-scope dependency on it so that the reactor builds it first).
 * A listed module whose directory does not exist is skipped.
 */
public final class AuditConfig {
  private AuditConfig() {}

  /** The package root of all Panamax code. */
  public static final String ROOT_PACKAGE = "dev.panamax";

  /** The unsafe package, relative to the root: the only code allowed raw memory and native calls. */
  public static final String UNSAFE_SUFFIX = "impl.unsafe";

  /** The largest unsafe share the tests accept: a change that grows the share past it fails. */
  public static final double MAX_SHARE = 0.03;

  /** The artifactId of the root pom, used to find the repository root. */
  public static final String PARENT_ARTIFACT_ID = "panamax-parent";

  /**
   * The audited modules. The checkers module is a compiler plugin, not library code: the
   * confinement rules apply to it but its lines stay out of the share's denominator.
   */
  public static final List<AuditModule> MODULES =
      List.of(
          new AuditModule("api", "api", Role.API, true),
          new AuditModule("impl", "impl", Role.IMPL, true),
          new AuditModule("examples", "examples", Role.APP, true),
          new AuditModule("kotlin", "kotlin", Role.APP, true),
          new AuditModule("micrometer", "micrometer", Role.APP, true),
          new AuditModule("benchmarks", "benchmarks", Role.APP, true),
          new AuditModule("testbed", "testbed", Role.APP, true),
          new AuditModule("checkers", "checkers", Role.TOOL, false));

  /**
   * Packages (ArchUnit syntax, below the root) whose classes are generated and not imported by
   * the rules: JMH's harness classes.
   */
  public static final List<String> GENERATED_PACKAGES = List.of("..jmh_generated..");

  /**
   * Categories of the unsafe package's types, used only for a method that states a soundness
   * sentence (so its author counts it as a hazard) but in which no signal was found, e.g. a
   * port-I/O method doing a positional write to a BAR file.
   */
  public static final Map<String, Category> TYPE_HINTS =
      Map.of(
          "BusAddresses", Category.RAW_ADDRESS,
          "Mmio", Category.VOLATILE_MMIO,
          "PortIo", Category.VOLATILE_MMIO,
          "PciControl", Category.DEVICE_CONTROL);

  /** Returns the fully qualified unsafe package. */
  public static String unsafePackage() {
    return ROOT_PACKAGE + "." + UNSAFE_SUFFIX;
  }
}
