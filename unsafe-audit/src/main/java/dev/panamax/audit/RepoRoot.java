package dev.panamax.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Finds the Panamax repository root: the nearest directory upwards whose pom.xml is the parent. */
public final class RepoRoot {
  private RepoRoot() {}

  private static final Pattern ARTIFACT_ID =
      Pattern.compile("<artifactId>\\s*([^<\\s]+)\\s*</artifactId>");

  /**
   * Walks up from the working directory (or {@code -Dpanamax.root} when set).
   *
   * @return the repository root
   * @throws IllegalStateException when no parent pom is found
   */
  public static Path find() {
    String override = System.getProperty("panamax.root");
    Path start = Path.of(override != null ? override : System.getProperty("user.dir"));
    return find(start);
  }

  /**
   * Walks up from {@code start} to the directory whose pom.xml has the parent's artifactId.
   *
   * @param start where to begin
   * @return the repository root
   * @throws IllegalStateException when no parent pom is found
   */
  public static Path find(Path start) {
    for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      if (AuditConfig.PARENT_ARTIFACT_ID.equals(artifactIdOf(dir.resolve("pom.xml")))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no pom.xml with artifactId "
            + AuditConfig.PARENT_ARTIFACT_ID
            + " in "
            + start.toAbsolutePath()
            + " or above: run from inside the Panamax repository or pass -Dpanamax.root=DIR");
  }

  /** The project's own artifactId: the first one outside the parent element. */
  private static @Nullable String artifactIdOf(Path pom) {
    if (!Files.isRegularFile(pom)) {
      return null;
    }
    String xml;
    try {
      xml = Files.readString(pom, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    }
    xml = xml.replaceAll("(?s)<!--.*?-->", "").replaceAll("(?s)<parent>.*?</parent>", "");
    Matcher m = ARTIFACT_ID.matcher(xml);
    return m.find() ? m.group(1) : null;
  }
}
