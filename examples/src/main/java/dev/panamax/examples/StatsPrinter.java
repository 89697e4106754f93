package dev.panamax.examples;

import dev.panamax.api.DeviceStats;
import dev.panamax.api.NetworkDevice;
import java.io.PrintStream;
import java.util.List;

/**
 * Prints one rate line per device and second, like ixy's apps. Call {@link #poll()} often. A
 * line ends with {@code | link down} while the device reports its link down; with the system
 * property {@value #MEMORY_PROPERTY} set (e.g. {@code PANAMAX_JAVA_OPTS=-Dpanamax.stats.memory}),
 * the first device's line also shows the JVM's heap use, for long runs that watch for growth.
 */
public final class StatsPrinter {
  private static final long INTERVAL_NS = 1_000_000_000L;
  /** System property that adds the heap use to the stats lines. */
  public static final String MEMORY_PROPERTY = "panamax.stats.memory";

  private final boolean memory = System.getProperty(MEMORY_PROPERTY) != null;

  private final List<NetworkDevice> devices;
  private final DeviceStats[] last;
  private final PrintStream out;
  private long nextPrint;

  /**
   * Creates a printer.
   *
   * @param out where lines go (flushed per line)
   * @param devices the devices to report
   */
  public StatsPrinter(PrintStream out, List<NetworkDevice> devices) {
    this.out = out;
    this.devices = List.copyOf(devices);
    this.last = new DeviceStats[devices.size()];
    for (int i = 0; i < last.length; i++) {
      last[i] = this.devices.get(i).stats();
    }
    this.nextPrint = System.nanoTime() + INTERVAL_NS;
  }

  /**
   * Prints a line per device if a second has passed.
   *
   * @return {@code true} if lines were printed
   */
  public boolean poll() {
    return poll(System.nanoTime());
  }

  /**
   * Prints a line per device if a second has passed by {@code now}: for loops that read the
   * clock anyway, so that it is read once.
   *
   * @param now {@link System#nanoTime()} as the caller read it
   * @return {@code true} if lines were printed
   */
  public boolean poll(long now) {
    if (now < nextPrint) {
      return false;
    }
    nextPrint = now + INTERVAL_NS;
    for (int i = 0; i < last.length; i++) {
      final NetworkDevice device = devices.get(i);
      final DeviceStats current = device.stats();
      final StringBuilder line = new StringBuilder(current.delta(last[i]).formatRates());
      if (!device.linkStatus().up()) {
        line.append(" | link down");
      }
      if (memory && i == 0) {
        final Runtime rt = Runtime.getRuntime();
        line.append(String.format(java.util.Locale.ROOT, " | heap %.1f MiB",
            (rt.totalMemory() - rt.freeMemory()) / 1048576.0));
      }
      out.println(line);
      last[i] = current;
    }
    out.flush();
    return true;
  }
}
