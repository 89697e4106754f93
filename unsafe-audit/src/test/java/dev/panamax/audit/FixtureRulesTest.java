package dev.panamax.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.panamax.audit.rules.Layout;
import dev.panamax.audit.rules.PanamaxRules;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each rule, laid over the same modules under {@code dev.panamax.auditfixtures}, reports the
 * fixture written to break it, and leaves the legal fixtures alone.
 */
class FixtureRulesTest {
  private static final String ROOT = "dev.panamax.auditfixtures";
  private static final PanamaxRules RULES = new PanamaxRules(Layout.PRODUCTION.under(ROOT));
  private static JavaClasses fixtures;

  @BeforeAll
  static void importFixtures() {
    fixtures = new ClassFileImporter().importPackages(ROOT);
  }

  private static List<String> violations(ArchRule rule) {
    EvaluationResult result = rule.evaluate(fixtures);
    assertTrue(result.hasViolation(), () -> rule.getDescription() + " reported nothing");
    return result.getFailureReport().getDetails();
  }

  private static void reports(List<String> details, String fixture) {
    String name = ROOT + "." + fixture;
    assertTrue(
        details.stream().anyMatch(d -> d.contains(name)),
        () -> "expected a violation by " + name + " in:\n" + String.join("\n", details));
  }

  private static void spares(List<String> details, String fixture) {
    String name = ROOT + "." + fixture;
    assertFalse(
        details.stream().anyMatch(d -> d.startsWith("Method <" + name) || d.contains("Class <" + name + ">")),
        () -> "legal " + name + " was reported:\n" + String.join("\n", details));
  }

  @Test
  void everyRuleIsProvenHere() {
    assertEquals(10, RULES.all().size(), "add a fixture test for the new rule");
  }

  @Test
  void restrictedMethodsOnlyInUnsafe() {
    List<String> d = violations(RULES.restrictedMethodsOnlyInUnsafe());
    reports(d, "impl.device.ReinterpretsOutsideUnsafe");
    reports(d, "impl.device.LinkerOutsideUnsafe");
    reports(d, "benchmarks.LoadsLibrary");
    spares(d, "impl.unsafe.AllowedNative");
    assertTrue(d.stream().anyMatch(x -> x.contains("MemorySegment.reinterpret(long)")), String.join("\n", d));
  }

  @Test
  void noUnsafeOutsideUnsafe() {
    List<String> d = violations(RULES.noUnsafeOutsideUnsafe());
    reports(d, "examples.UsesSunMiscUnsafe");
  }

  @Test
  void noNativeMethodsOutsideUnsafe() {
    List<String> d = violations(RULES.noNativeMethodsOutsideUnsafe());
    reports(d, "impl.device.DeclaresNative.ring()");
    spares(d, "impl.unsafe.AllowedNative");
  }

  @Test
  void noLibraryLoadingOutsideUnsafe() {
    List<String> d = violations(RULES.noLibraryLoadingOutsideUnsafe());
    reports(d, "benchmarks.LoadsLibrary");
    assertTrue(d.stream().anyMatch(x -> x.contains("Runtime.load(java.lang.String)")), String.join("\n", d));
    spares(d, "impl.unsafe.AllowedNative");
  }

  @Test
  void rawAddressesOnlyInUnsafe() {
    List<String> d = violations(RULES.rawAddressesOnlyInUnsafe());
    reports(d, "impl.device.TakesRawAddress.where(");
    reports(d, "impl.device.TakesRawAddress.pointer(");
    reports(d, "impl.device.TakesRawAddress.forge(");
    spares(d, "impl.unsafe.AllowedNative");
  }

  @Test
  void apiDependsOnNoOtherPanamaxPackage() {
    List<String> d = violations(RULES.apiDependsOnNoOtherPanamaxPackage());
    reports(d, "api.ApiUsesImpl");
    spares(d, "api.FixturePacket");
  }

  @Test
  void unsafeIsALeaf() {
    List<String> d = violations(RULES.unsafeIsALeaf());
    reports(d, "impl.unsafe.UnsafeUsesApi");
    spares(d, "impl.unsafe.AllowedNative");
  }

  @Test
  void applicationsUseOnlyTheApi() {
    List<String> d = violations(RULES.applicationsUseOnlyTheApi());
    reports(d, "examples.ExampleUsesImpl");
    reports(d, "benchmarks.BenchmarkUsesUnsafe");
    spares(d, "examples.ExampleUsesApi");
  }

  @Test
  void libraryDependsOnNoApplication() {
    List<String> d = violations(RULES.libraryDependsOnNoApplication());
    reports(d, "impl.device.DriverUsesExample");
  }

  @Test
  void noPackageCycles() {
    List<String> d = violations(RULES.noPackageCycles());
    reports(d, "impl.cyclea.A");
    reports(d, "impl.cycleb.B");
  }
}
