package dev.panamax.audit.rules;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.panamax.audit.AuditConfig;
import dev.panamax.audit.AuditModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Imports the compiled main classes of the audited modules from their {@code target/classes}
 * (so test classes, other modules' tests and this module's fixtures are never mixed in), minus
 * generated code ({@link AuditConfig#GENERATED_PACKAGES}).
 */
public final class ProductionClasses {
  private ProductionClasses() {}

  /**
   * Imports the classes under a repository root.
   *
   * @param root the repository root
   * @return the classes
   * @throws IllegalStateException if a module has main sources but no compiled classes
   */
  public static JavaClasses importFrom(Path root) {
    List<Path> dirs = new ArrayList<>();
    for (AuditModule m : AuditConfig.MODULES) {
      Path module = root.resolve(m.dir());
      if (!Files.isDirectory(module.resolve("src/main"))) {
        continue;
      }
      Path classes = module.resolve("target/classes");
      if (!Files.isDirectory(classes)) {
        throw new IllegalStateException(
            m.dir() + " has main sources but no " + classes + ": build it first (./mvnw install -DskipTests)");
      }
      dirs.add(classes);
    }
    List<String> generated =
        AuditConfig.GENERATED_PACKAGES.stream()
            .map(p -> "/" + p.replace("..", "/").replace('.', '/').replaceAll("/+", "/"))
            .map(p -> p.endsWith("/") ? p : p + "/")
            .toList();
    ImportOption notGenerated = location -> generated.stream().noneMatch(location::contains);
    return new ClassFileImporter().withImportOption(notGenerated).importPaths(dirs);
  }
}
