package dev.panamax.audit;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.panamax.audit.rules.Layout;
import dev.panamax.audit.rules.PanamaxRules;
import dev.panamax.audit.rules.ProductionClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rules on the project's compiled main classes. Each rule is proven in FixtureRulesTest. */
class ProductionRulesTest {
  private static JavaClasses classes;
  private static final PanamaxRules RULES = new PanamaxRules(Layout.PRODUCTION);

  @BeforeAll
  static void importClasses() {
    classes = ProductionClasses.importFrom(RepoRoot.find());
  }

  @Test
  void restrictedMethodsOnlyInUnsafe() {
    RULES.restrictedMethodsOnlyInUnsafe().check(classes);
  }

  @Test
  void noUnsafeOutsideUnsafe() {
    RULES.noUnsafeOutsideUnsafe().check(classes);
  }

  @Test
  void noNativeMethodsOutsideUnsafe() {
    RULES.noNativeMethodsOutsideUnsafe().check(classes);
  }

  @Test
  void noLibraryLoadingOutsideUnsafe() {
    RULES.noLibraryLoadingOutsideUnsafe().check(classes);
  }

  @Test
  void rawAddressesOnlyInUnsafe() {
    RULES.rawAddressesOnlyInUnsafe().check(classes);
  }

  @Test
  void apiDependsOnNoOtherPanamaxPackage() {
    RULES.apiDependsOnNoOtherPanamaxPackage().check(classes);
  }

  @Test
  void unsafeIsALeaf() {
    RULES.unsafeIsALeaf().check(classes);
  }

  @Test
  void applicationsUseOnlyTheApi() {
    RULES.applicationsUseOnlyTheApi().check(classes);
  }

  @Test
  void libraryDependsOnNoApplication() {
    RULES.libraryDependsOnNoApplication().check(classes);
  }

  @Test
  void noPackageCycles() {
    RULES.noPackageCycles().check(classes);
  }
}
