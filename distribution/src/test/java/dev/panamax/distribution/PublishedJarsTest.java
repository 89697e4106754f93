package dev.panamax.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Every module the BOM pins is published with its three jars: in this build each such module's
 * {@code target} directory holds the main jar (with classes), the sources jar (with Java or
 * Kotlin sources) and the Javadoc jar (with {@code index.html} at its root); and the BOM pins
 * exactly the library modules, those whose pom turns the Javadoc jar on. It runs in the test
 * phase of this module, after the reactor has packaged every module it depends on.
 */
class PublishedJarsTest {
  private static final Path ROOT =
      Path.of(System.getProperty("panamax.root", "..")).toAbsolutePath().normalize();
  private static final String VERSION = System.getProperty("panamax.version", "0.1.0-SNAPSHOT");

  @Test
  void everyModuleTheBomPinsHasItsMainSourcesAndJavadocJars() throws Exception {
    final List<String> pinned = bomArtifacts();
    final Map<String, Path> modules = reactorModules();
    final List<String> problems = new ArrayList<>();
    for (String artifact : pinned) {
      final Path module = modules.get(artifact);
      if (module == null) {
        problems.add(artifact + ": pinned by bom/pom.xml but no module of the root pom builds it");
        continue;
      }
      final String name = finalName(module.resolve("pom.xml"), artifact);
      final Path target = module.resolve("target");
      check(problems, target.resolve(name + ".jar"), "a class file",
          e -> e.getName().endsWith(".class"));
      check(problems, target.resolve(name + "-sources.jar"), "a .java or .kt source",
          e -> e.getName().endsWith(".java") || e.getName().endsWith(".kt"));
      check(problems, target.resolve(name + "-javadoc.jar"), "index.html at its root",
          e -> e.getName().equals("index.html"));
    }
    System.out.println("published jars checked for " + pinned.size() + " modules: " + pinned);
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems));
    }
  }

  @Test
  void theBomPinsExactlyTheModulesThatPublishJavadoc() throws Exception {
    final List<String> libraries = new ArrayList<>();
    for (Map.Entry<String, Path> module : reactorModules().entrySet()) {
      final Element properties = childOrNull(parse(module.getValue().resolve("pom.xml")), "properties");
      final Element skip = properties == null ? null : childOrNull(properties, "panamax.javadoc.skip");
      if (skip != null && skip.getTextContent().strip().equals("false")) {
        libraries.add(module.getKey());
      }
    }
    assertEquals(libraries.stream().sorted().toList(), bomArtifacts().stream().sorted().toList(),
        "modules with panamax.javadoc.skip=false (library modules) vs. the BOM's pins");
  }

  /** Notes a problem unless {@code jar} exists and has an entry {@code wanted} accepts. */
  private static void check(List<String> problems, Path jar, String what, Predicate<ZipEntry> wanted)
      throws IOException {
    final String shown = ROOT.relativize(jar).toString();
    if (!Files.isRegularFile(jar)) {
      problems.add(shown + ": missing (not packaged in this build)");
      return;
    }
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      if (zip.stream().noneMatch(wanted)) {
        problems.add(shown + ": has no " + what);
      }
    }
  }

  /** The artifact ids of the dev.panamax dependencies bom/pom.xml pins, in its order. */
  private static List<String> bomArtifacts() throws Exception {
    final Element bom = parse(ROOT.resolve("bom/pom.xml"));
    final Element managed = child(child(bom, "dependencyManagement"), "dependencies");
    final List<String> out = new ArrayList<>();
    for (Element dependency : children(managed, "dependency")) {
      assertEquals("dev.panamax", text(dependency, "groupId"), "bom/pom.xml pins a foreign artifact");
      assertEquals("${project.version}", text(dependency, "version"),
          "bom/pom.xml pins " + text(dependency, "artifactId") + " at a version of its own");
      out.add(text(dependency, "artifactId"));
    }
    assertFalse(out.isEmpty(), "bom/pom.xml pins nothing");
    return out;
  }

  /** Artifact id to module directory, for every module the root pom lists. */
  private static Map<String, Path> reactorModules() throws Exception {
    final Map<String, Path> out = new LinkedHashMap<>();
    for (Element module : children(child(parse(ROOT.resolve("pom.xml")), "modules"), "module")) {
      final Path dir = ROOT.resolve(module.getTextContent().strip());
      out.put(text(parse(dir.resolve("pom.xml")), "artifactId"), dir);
    }
    return out;
  }

  /** The module's build/finalName, or Maven's default artifactId-version. */
  private static String finalName(Path pom, String artifact) throws Exception {
    final Element build = childOrNull(parse(pom), "build");
    final Element name = build == null ? null : childOrNull(build, "finalName");
    if (name == null) {
      return artifact + "-" + VERSION;
    }
    final String value = name.getTextContent().strip();
    assertFalse(value.contains("${"), pom + ": finalName with a property is not understood here");
    return value;
  }

  private static Element parse(Path pom) throws Exception {
    final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
  }

  private static List<Element> children(Element parent, String name) {
    final List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        out.add(e);
      }
    }
    return out;
  }

  private static Element childOrNull(Element parent, String name) {
    final List<Element> found = children(parent, name);
    return found.isEmpty() ? null : found.get(0);
  }

  private static Element child(Element parent, String name) {
    final Element found = childOrNull(parent, name);
    assertTrue(found != null, () -> "<" + parent.getTagName() + "> has no <" + name + ">");
    return found;
  }

  private static String text(Element parent, String name) {
    return child(parent, name).getTextContent().strip();
  }
}
