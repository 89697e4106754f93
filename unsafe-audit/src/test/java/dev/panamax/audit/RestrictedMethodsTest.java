package dev.panamax.audit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.audit.rules.RestrictedMethods;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RestrictedMethodsTest {
  @Test
  void theJdkAnnotationIsReadableAndCoversTheKnownList() {
    Set<String> detected = RestrictedMethods.detected();
    assertTrue(
        !detected.isEmpty(),
        "no method carries " + RestrictedMethods.ANNOTATION + " on this JDK: only the fallback list applies");
    Set<String> missing = new TreeSet<>(RestrictedMethods.FALLBACK);
    missing.removeAll(detected);
    assertTrue(missing.isEmpty(), "listed but not detected (stale fallback?): " + missing);
  }

  @Test
  void theRuleChecksTheUnion() {
    assertTrue(RestrictedMethods.all().containsAll(RestrictedMethods.detected()));
    assertTrue(RestrictedMethods.all().containsAll(RestrictedMethods.FALLBACK));
  }
}
