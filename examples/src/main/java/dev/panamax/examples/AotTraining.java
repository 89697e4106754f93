package dev.panamax.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleReader;
import java.lang.module.ResolvedModule;
import java.util.List;

/**
 * The training run of the AOT cache that the build makes (examples/pom.xml, docs/performance.md
 * "Warm-up"): the JVM records what this run loads and links, and the method profiles it
 * gathers, into {@code examples/target/panamax.aot}; the launcher starts every app with it.
 *
 * <p>First every class of the Panamax modules is loaded (not initialised), so that the drivers,
 * which only a real device exercises, are in the cache too: a run on a NIC then finds them
 * parsed and verified instead of reading them from the jars. Then the apps run for a few seconds
 * on in-memory devices, which fills in the JDK classes they use and the profiles of the shared
 * data path (mempool, batches, generator, forwarder, verifier): the in-memory demo (pktgen, fwd
 * and recv), then pktgen with full and with light frames. The VFIO path's native calls are
 * linked but not called. Nothing outside the JVM is touched.
 */
public final class AotTraining {
  private AotTraining() {}

  /**
   * Runs the training.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    final int loaded = loadPanamaxClasses();
    System.out.println("aot training: " + loaded + " Panamax classes loaded");
    linkNativeCalls();
    System.out.println("aot training: native calls of the VFIO path linked");
    final List<String[]> runs = List.of(
        new String[] {"demo", "--seconds", "2"},
        new String[] {"pktgen", "null:aot-training", "--seconds", "1"},
        new String[] {"pktgen", "null:aot-training", "--seconds", "1", "--light"});
    for (String[] run : runs) {
      final int status = Main.run(run);
      if (status != 0) {
        System.out.println("aot training: '" + String.join(" ", run) + "' exited " + status);
        System.exit(status);
      }
    }
  }

  /**
   * Initialises the class that holds the VFIO path's native-call handles, which links them: the
   * JDK classes that linking loads then come from the cache on a device-opening start. Linking
   * calls nothing native; the handles are not called here.
   */
  private static void linkNativeCalls() {
    final ClassLoader loader = ModuleLayer.boot().findLoader("dev.panamax.impl");
    try {
      Class.forName("dev.panamax.impl.unsafe.Posix", true, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("aot training: the VFIO path's native calls moved", e);
    }
  }

  /** Loads every class of the boot layer's dev.panamax modules; returns how many. */
  private static int loadPanamaxClasses() {
    int loaded = 0;
    for (ResolvedModule resolved : ModuleLayer.boot().configuration().modules()) {
      final String name = resolved.name();
      if (!name.startsWith("dev.panamax.")) {
        continue;
      }
      final Module module = ModuleLayer.boot().findModule(name).orElseThrow();
      try (ModuleReader reader = resolved.reference().open()) {
        for (String entry : reader.list().toList()) {
          if (entry.endsWith(".class") && !entry.endsWith("module-info.class")) {
            final String className = entry.substring(0, entry.length() - 6).replace('/', '.');
            if (Class.forName(module, className) != null) {
              loaded++;
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("aot training: reading module " + name, e);
      }
    }
    return loaded;
  }
}
