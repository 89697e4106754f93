package dev.panamax.audit.rules;

import dev.panamax.audit.AuditConfig;
import dev.panamax.audit.AuditModule;
import dev.panamax.audit.AuditModule.Role;
import java.util.List;

/**
 * Where the rules look: a package root and the modules below it. The production layout is
 * {@code dev.panamax} with {@link AuditConfig#MODULES}; the tests prove each rule on the same
 * modules under {@code dev.panamax.auditfixtures}.
 *
 * @param root the package root
 * @param modules the modules, whose package is {@code root + "." + packageSuffix}
 */
public record Layout(String root, List<AuditModule> modules) {

  /** The real project. */
  public static final Layout PRODUCTION = new Layout(AuditConfig.ROOT_PACKAGE, AuditConfig.MODULES);

  /**
   * Returns the same modules under another root.
   *
   * @param newRoot e.g. {@code dev.panamax.auditfixtures}
   * @return the moved layout
   */
  public Layout under(String newRoot) {
    return new Layout(newRoot, modules);
  }

  /** Returns the unsafe package, e.g. {@code dev.panamax.impl.unsafe}. */
  public String unsafePackage() {
    return root + "." + AuditConfig.UNSAFE_SUFFIX;
  }

  /** Returns the ArchUnit pattern for the unsafe package and below. */
  public String unsafe() {
    return unsafePackage() + "..";
  }

  /** Returns the ArchUnit pattern for everything under the root. */
  public String all() {
    return root + "..";
  }

  /**
   * Returns ArchUnit patterns of the modules with a role.
   *
   * @param role the role
   * @return e.g. {@code [dev.panamax.api..]}
   */
  public String[] packagesOf(Role role) {
    return modules.stream()
        .filter(m -> m.role() == role)
        .map(m -> m.packageName(root) + "..")
        .toArray(String[]::new);
  }
}
