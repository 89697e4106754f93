package dev.panamax.audit;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A method, constructor, initializer or field of the unsafe package, with its code lines.
 *
 * @param type the declaring type, nested types joined with dots ({@code Mmio.Bar})
 * @param name signature for methods and constructors, the field's name, or {@code static {}}
 * @param kind {@code method}, {@code constructor}, {@code initializer} or {@code field}
 * @param file the source file, relative to the repository root, with forward slashes
 * @param codeLines code lines attributed to the member
 * @param category what makes it unsafe
 * @param signals the calls, names and literals that decided the category, sorted
 * @param soundness the member's "Sound ..." sentence, or {@code null} if it has none
 */
public record Member(
    String type,
    String name,
    String kind,
    String file,
    int codeLines,
    Category category,
    List<String> signals,
    @Nullable String soundness) {

  /**
   * Tells whether this member must have a soundness sentence and has none: methods,
   * constructors and initializers of a hazard category must; fields are listed with their
   * category but need none (the method that uses them says why the use is sound).
   *
   * @return {@code true} when a hazard member lacks its "Sound" sentence
   */
  public boolean missingSoundness() {
    return category.isHazard() && !kind.equals("field") && soundness == null;
  }
}
