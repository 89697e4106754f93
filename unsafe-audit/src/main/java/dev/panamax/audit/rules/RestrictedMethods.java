package dev.panamax.audit.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The JDK's restricted methods, found on the running JDK rather than listed by hand.
 *
 * <p>JDK 22+ marks each restricted method with {@code jdk.internal.javac.Restricted}, which has
 * runtime retention. Detection reads every class file of every system module through the
 * {@code jrt:} file system, keeps those whose constant pool names that annotation, and reflects on
 * the public types of unconditionally exported packages among them (loading, not initializing).
 * If the annotation ever stops being readable, {@link #FALLBACK} (the JDK 25 list) still applies;
 * the result is always the union of both.
 */
public final class RestrictedMethods {
  private RestrictedMethods() {}

  /** The annotation JDK 22+ puts on restricted methods. */
  public static final String ANNOTATION = "jdk.internal.javac.Restricted";

  /** The restricted methods of JDK 25, as {@link #key} strings: the fallback and the baseline. */
  public static final Set<String> FALLBACK =
      Set.of(
          "java.lang.foreign.MemorySegment#reinterpret(long)",
          "java.lang.foreign.MemorySegment#reinterpret(java.lang.foreign.Arena,java.util.function.Consumer)",
          "java.lang.foreign.MemorySegment#reinterpret(long,java.lang.foreign.Arena,java.util.function.Consumer)",
          "java.lang.foreign.Linker#downcallHandle(java.lang.foreign.FunctionDescriptor,[Ljava.lang.foreign.Linker$Option;)",
          "java.lang.foreign.Linker#downcallHandle(java.lang.foreign.MemorySegment,java.lang.foreign.FunctionDescriptor,[Ljava.lang.foreign.Linker$Option;)",
          "java.lang.foreign.Linker#upcallStub(java.lang.invoke.MethodHandle,java.lang.foreign.FunctionDescriptor,java.lang.foreign.Arena,[Ljava.lang.foreign.Linker$Option;)",
          "java.lang.foreign.SymbolLookup#libraryLookup(java.lang.String,java.lang.foreign.Arena)",
          "java.lang.foreign.SymbolLookup#libraryLookup(java.nio.file.Path,java.lang.foreign.Arena)",
          "java.lang.foreign.AddressLayout#withTargetLayout(java.lang.foreign.MemoryLayout)",
          "java.lang.ModuleLayer$Controller#enableNativeAccess(java.lang.Module)",
          "java.lang.System#load(java.lang.String)",
          "java.lang.System#loadLibrary(java.lang.String)",
          "java.lang.Runtime#load(java.lang.String)",
          "java.lang.Runtime#loadLibrary(java.lang.String)");

  /**
   * Types every method of which is confined to the unsafe package, restricted or not: a Linker
   * or SymbolLookup exists only to reach native code.
   */
  public static final Set<String> CONFINED_TYPES =
      Set.of("java.lang.foreign.Linker", "java.lang.foreign.SymbolLookup");

  private static volatile Set<String> detected;

  /**
   * Returns the key of a method: {@code owner#name(param,param)} with {@link Class#getName()}
   * spellings.
   *
   * @param owner declaring type
   * @param name method name
   * @param params parameter type names
   * @return the key
   */
  public static String key(String owner, String name, List<String> params) {
    return owner + "#" + name + "(" + String.join(",", params) + ")";
  }

  /**
   * Returns the restricted methods detected on this JDK, empty if the annotation is unreadable.
   *
   * @return keys, sorted
   */
  public static Set<String> detected() {
    Set<String> d = detected;
    if (d == null) {
      d = detect();
      detected = d;
    }
    return d;
  }

  /**
   * Returns the methods the confinement rule checks: detected ∪ fallback.
   *
   * @return keys, sorted
   */
  public static Set<String> all() {
    Set<String> all = new TreeSet<>(detected());
    all.addAll(FALLBACK);
    return all;
  }

  private static Set<String> detect() {
    byte[] marker = ("L" + ANNOTATION.replace('.', '/') + ";").getBytes(StandardCharsets.UTF_8);
    Set<String> keys = new TreeSet<>();
    FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
    List<String> candidates = new ArrayList<>();
    try (Stream<Path> modules = Files.list(jrt.getPath("/modules"))) {
      for (Path module : modules.toList()) {
        try (Stream<Path> files = Files.walk(module)) {
          for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
            String rel = module.relativize(f).toString();
            if (rel.equals("module-info.class") || rel.startsWith("META-INF")) {
              continue;
            }
            if (contains(Files.readAllBytes(f), marker)) {
              candidates.add(rel.substring(0, rel.length() - ".class".length()).replace('/', '.'));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the JDK's class files through jrt:/", e);
    }
    for (String name : candidates) {
      Class<?> c;
      try {
        c = Class.forName(name, false, ClassLoader.getPlatformClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        continue;
      }
      if (!Modifier.isPublic(c.getModifiers()) || !c.getModule().isExported(c.getPackageName())) {
        continue;
      }
      for (Method m : c.getDeclaredMethods()) {
        for (Annotation a : m.getDeclaredAnnotations()) {
          if (a.annotationType().getName().equals(ANNOTATION)) {
            keys.add(
                key(
                    c.getName(),
                    m.getName(),
                    Arrays.stream(m.getParameterTypes()).map(Class::getName).collect(Collectors.toList())));
          }
        }
      }
    }
    return keys;
  }

  private static boolean contains(byte[] data, byte[] marker) {
    outer:
    for (int i = 0; i <= data.length - marker.length; i++) {
      for (int j = 0; j < marker.length; j++) {
        if (data[i + j] != marker[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
