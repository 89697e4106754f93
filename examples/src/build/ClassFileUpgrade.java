import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Build step of the examples module (examples/pom.xml, docs/performance.md "Where a
 * device-opening start goes"): rewrites the classes of a jar on the apps' module path whose
 * class-file version is below 50 (Java 6) to version 52 (Java 8), with the stack-map frames that
 * version requires, computed by the JDK's class-file API. Nothing else in a class changes: the
 * same constant pool entries, fields, methods and bytecode.
 *
 * <p>Why: the JVM's AOT cache leaves out every class older than version 50 ("Old class has been
 * linked"), because those are verified by the old type-inferencing verifier at each start. The
 * command-line library's classes are version 49, so every app start loaded and verified its 170
 * classes cold. Rewritten, they come from the cache like the apps' own classes.
 *
 * <p>Usage: {@code java ClassFileUpgrade.java JAR...}. A jar with no class below version 50 is
 * left untouched (the step can run on every build); otherwise it is replaced in one move, so a
 * failed run leaves the original in place.
 */
public final class ClassFileUpgrade {
  private static final int OLDEST_KEPT = 50;
  private static final int TARGET = 52;

  private ClassFileUpgrade() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.err.println("usage: java ClassFileUpgrade.java JAR...");
      System.exit(2);
    }
    for (String arg : args) {
      final Path jar = Path.of(arg);
      if (!Files.isRegularFile(jar)) {
        System.err.println("class-file upgrade: " + jar + " is not a file");
        System.exit(1);
      }
      final int rewritten = upgrade(jar);
      System.out.println("class-file upgrade: " + jar.getFileName() + ": "
          + (rewritten == 0 ? "no class below version " + OLDEST_KEPT : rewritten + " classes now version " + TARGET));
    }
  }

  /** Rewrites the jar in place if it has old classes; returns how many were rewritten. */
  private static int upgrade(Path jar) throws IOException {
    final Path out = jar.resolveSibling(jar.getFileName() + ".upgrading");
    int rewritten = 0;
    try (URLClassLoader classes = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
        ZipFile in = new ZipFile(jar.toFile());
        OutputStream file = Files.newOutputStream(out);
        ZipOutputStream zip = new ZipOutputStream(file)) {
      // Frames need the common superclass of two types; the jar's own classes are read from it.
      final ClassFile classFile = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
          ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
              .orElse(ClassHierarchyResolver.ofResourceParsing(classes))));
      for (ZipEntry entry : Collections.list(in.entries())) {
        byte[] bytes;
        try (InputStream data = in.getInputStream(entry)) {
          bytes = data.readAllBytes();
        }
        if (entry.getName().endsWith(".class") && !entry.getName().endsWith("module-info.class")) {
          final ClassModel model = classFile.parse(bytes);
          if (model.majorVersion() < OLDEST_KEPT) {
            // Passing every method body through a code builder makes the frames get computed.
            bytes = classFile.transformClass(model, ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                .andThen(ClassTransform.endHandler(builder -> builder.withVersion(TARGET, 0))));
            rewritten++;
          }
        }
        final ZipEntry copy = new ZipEntry(entry.getName());
        copy.setTime(entry.getTime());
        zip.putNextEntry(copy);
        zip.write(bytes);
        zip.closeEntry();
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(out);
      throw e;
    }
    if (rewritten == 0) {
      Files.delete(out);
    } else {
      Files.move(out, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    return rewritten;
  }
}
