package dev.panamax.audit.rules;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnitAccess;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.PackageMatcher;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.panamax.audit.AuditModule;
import dev.panamax.audit.AuditModule.Role;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The confinement and dependency-direction rules, for a {@link Layout}. Each rule is checked
 * against the project and, in the tests, shown to fail on a fixture that breaks it.
 */
public final class PanamaxRules {
  private final Layout layout;

  /**
   * Creates the rules for a layout.
   *
   * @param layout where the packages are
   */
  public PanamaxRules(Layout layout) {
    this.layout = layout;
  }

  /** Types whose use, anywhere outside the unsafe package, is a violation. */
  public static final Set<String> UNSAFE_TYPES = Set.of("sun.misc.Unsafe", "jdk.internal.misc.Unsafe");

  /** Raw addresses: methods returning or taking a raw address (keys as in RestrictedMethods). */
  public static final Set<String> RAW_ADDRESS_METHODS =
      Set.of("java.lang.foreign.MemorySegment#address()", "java.lang.foreign.MemorySegment#ofAddress(long)");

  /** Raw addresses: layouts that read or write a pointer. */
  public static final Set<String> RAW_ADDRESS_FIELDS =
      Set.of("java.lang.foreign.ValueLayout.ADDRESS", "java.lang.foreign.ValueLayout.ADDRESS_UNALIGNED");

  private static final Set<String> LOAD_METHODS = Set.of("load", "loadLibrary", "mapLibraryName");

  private DescribedPredicate<JavaClass> outsideUnsafe() {
    return not(resideInAPackage(layout.unsafe()));
  }

  /**
   * (a) Only the unsafe package calls or references a method the JDK marks restricted, or any
   * method of Linker and SymbolLookup.
   *
   * @return the rule
   */
  public ArchRule restrictedMethodsOnlyInUnsafe() {
    Set<String> restricted = RestrictedMethods.all();
    return classes()
        .that(outsideUnsafe())
        .and(resideInAPackage(layout.all()))
        .should(
            notAccess(
                "call restricted JDK methods (" + restricted.size() + " detected and listed) or Linker/SymbolLookup",
                a ->
                    a instanceof JavaCodeUnitAccess<?> c
                        && (restricted.contains(key(c.getTarget()))
                            || RestrictedMethods.CONFINED_TYPES.contains(c.getTargetOwner().getName()))))
        .because("restricted FFM and native code live in " + layout.unsafePackage() + " only");
  }

  /**
   * (a) Only the unsafe package uses sun.misc.Unsafe or jdk.internal.misc.Unsafe.
   *
   * @return the rule
   */
  public ArchRule noUnsafeOutsideUnsafe() {
    return noClasses()
        .that(outsideUnsafe())
        .and(resideInAPackage(layout.all()))
        .should()
        .dependOnClassesThat(
            DescribedPredicate.describe("are " + UNSAFE_TYPES, c -> UNSAFE_TYPES.contains(c.getName())))
        .because("Unsafe is confined to " + layout.unsafePackage());
  }

  /**
   * (a) Only the unsafe package declares {@code native} methods.
   *
   * @return the rule
   */
  public ArchRule noNativeMethodsOutsideUnsafe() {
    return noMethods()
        .that()
        .areDeclaredInClassesThat(outsideUnsafe())
        .and()
        .areDeclaredInClassesThat()
        .resideInAPackage(layout.all())
        .should()
        .haveModifier(JavaModifier.NATIVE)
        .because("JNI is confined to " + layout.unsafePackage());
  }

  /**
   * (a) Only the unsafe package calls System/Runtime load, loadLibrary (or mapLibraryName), independent
   * of the JDK's annotation.
   *
   * @return the rule
   */
  public ArchRule noLibraryLoadingOutsideUnsafe() {
    return classes()
        .that(outsideUnsafe())
        .and(resideInAPackage(layout.all()))
        .should(
            notAccess(
                "call System/Runtime.load, loadLibrary or mapLibraryName",
                a ->
                    a instanceof JavaCodeUnitAccess<?> c
                        && Set.of("java.lang.System", "java.lang.Runtime").contains(c.getTargetOwner().getName())
                        && LOAD_METHODS.contains(c.getTarget().getName())))
        .because("native libraries are loaded by " + layout.unsafePackage() + " only");
  }

  /**
   * (c) Only the unsafe package handles raw addresses: MemorySegment.address(),
   * MemorySegment.ofAddress, ValueLayout.ADDRESS.
   *
   * @return the rule
   */
  public ArchRule rawAddressesOnlyInUnsafe() {
    return classes()
        .that(outsideUnsafe())
        .and(resideInAPackage(layout.all()))
        .should(
            notAccess(
                "use raw addresses (MemorySegment.address(), MemorySegment.ofAddress, ValueLayout.ADDRESS)",
                a ->
                    (a instanceof JavaCodeUnitAccess<?> c && RAW_ADDRESS_METHODS.contains(key(c.getTarget())))
                        || (a instanceof JavaFieldAccess f
                            && RAW_ADDRESS_FIELDS.contains(
                                f.getTargetOwner().getName() + "." + f.getTarget().getName()))))
        .because("drivers hold typed DMA handles; only " + layout.unsafePackage() + " sees addresses");
  }

  /**
   * (b) The API depends on no other Panamax package.
   *
   * @return the rule
   */
  public ArchRule apiDependsOnNoOtherPanamaxPackage() {
    String[] api = layout.packagesOf(Role.API);
    return noClasses()
        .that()
        .resideInAnyPackage(api)
        .should()
        .dependOnClassesThat(resideInAPackage(layout.all()).and(not(resideInAnyPackage(api))))
        .because("the API is the bottom layer: api ← impl ← applications");
  }

  /**
   * (b) The unsafe package is a leaf: it depends on no other Panamax package.
   *
   * @return the rule
   */
  public ArchRule unsafeIsALeaf() {
    return noClasses()
        .that()
        .resideInAPackage(layout.unsafe())
        .should()
        .dependOnClassesThat(resideInAPackage(layout.all()).and(outsideUnsafe()))
        .because("the audited surface must not reach into code that is not audited");
  }

  /**
   * (b) Applications (examples, benchmarks, testbed) use the API and their own package only,
   * never the implementation.
   *
   * @return the rule
   */
  public ArchRule applicationsUseOnlyTheApi() {
    List<AuditModule> apps = layout.modules().stream().filter(m -> m.role() == Role.APP).toList();
    String[] api = layout.packagesOf(Role.API);
    String[] appPackages = layout.packagesOf(Role.APP);
    return classes()
        .that()
        .resideInAnyPackage(appPackages)
        .should(
            new ArchCondition<JavaClass>("not depend on a Panamax package other than the API and their own") {
              @Override
              public void check(JavaClass item, ConditionEvents events) {
                String own =
                    apps.stream()
                        .map(m -> m.packageName(layout.root()))
                        .filter(p -> item.getPackageName().equals(p) || item.getPackageName().startsWith(p + "."))
                        .findFirst()
                        .orElse(item.getPackageName());
                for (Dependency d : item.getDirectDependenciesFromSelf()) {
                  JavaClass target = d.getTargetClass();
                  String pkg = target.getPackageName();
                  boolean panamax = PackageMatcher.of(layout.all()).matches(pkg);
                  boolean allowed =
                      pkg.equals(own)
                          || pkg.startsWith(own + ".")
                          || java.util.Arrays.stream(api).anyMatch(p -> PackageMatcher.of(p).matches(pkg));
                  if (panamax && !allowed) {
                    events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                  }
                }
              }
            })
        .because("applications reach the implementation only through the API's factory");
  }

  /**
   * (b) The library (API, implementation) depends on no application or tool.
   *
   * @return the rule
   */
  public ArchRule libraryDependsOnNoApplication() {
    String[] library = concat(layout.packagesOf(Role.API), layout.packagesOf(Role.IMPL));
    String[] above = concat(layout.packagesOf(Role.APP), layout.packagesOf(Role.TOOL));
    return noClasses()
        .that()
        .resideInAnyPackage(library)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(above)
        .because("dependencies point down: api ← impl ← applications");
  }

  /**
   * (b) No cycles between Panamax packages (each package one slice).
   *
   * @return the rule
   */
  public ArchRule noPackageCycles() {
    return slices()
        .matching(layout.root() + ".(**)")
        .should()
        .beFreeOfCycles()
        .because("package dependencies must form a hierarchy");
  }

  /**
   * Returns every rule, by name.
   *
   * @return name → rule, in a fixed order
   */
  public java.util.Map<String, ArchRule> all() {
    java.util.Map<String, ArchRule> m = new java.util.LinkedHashMap<>();
    m.put("restrictedMethodsOnlyInUnsafe", restrictedMethodsOnlyInUnsafe());
    m.put("noUnsafeOutsideUnsafe", noUnsafeOutsideUnsafe());
    m.put("noNativeMethodsOutsideUnsafe", noNativeMethodsOutsideUnsafe());
    m.put("noLibraryLoadingOutsideUnsafe", noLibraryLoadingOutsideUnsafe());
    m.put("rawAddressesOnlyInUnsafe", rawAddressesOnlyInUnsafe());
    m.put("apiDependsOnNoOtherPanamaxPackage", apiDependsOnNoOtherPanamaxPackage());
    m.put("unsafeIsALeaf", unsafeIsALeaf());
    m.put("applicationsUseOnlyTheApi", applicationsUseOnlyTheApi());
    m.put("libraryDependsOnNoApplication", libraryDependsOnNoApplication());
    m.put("noPackageCycles", noPackageCycles());
    return m;
  }

  private static String[] concat(String[] a, String[] b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  static String key(AccessTarget target) {
    List<String> params =
        target instanceof AccessTarget.CodeUnitAccessTarget c
            ? c.getRawParameterTypes().stream().map(JavaClass::getName).toList()
            : List.of();
    return RestrictedMethods.key(target.getOwner().getName(), target.getName(), params);
  }

  private static ArchCondition<JavaClass> notAccess(String description, Predicate<JavaAccess<?>> bad) {
    return new ArchCondition<JavaClass>("not " + description) {
      @Override
      public void check(JavaClass item, ConditionEvents events) {
        for (JavaAccess<?> a : item.getAccessesFromSelf()) {
          if (bad.test(a)) {
            events.add(SimpleConditionEvent.violated(a, a.getDescription()));
          }
        }
      }
    };
  }
}
