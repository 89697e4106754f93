package dev.panamax.examples;

import dev.panamax.api.DeviceStats;
import dev.panamax.api.NetworkDevice;
import java.io.PrintStream;
import java.util.List;

/** Prints one rate line per device and second, like ixy's apps. Call {@link #poll()} often. */
public final class StatsPrinter {
  private static final long INTERVAL_NS = 1_000_000_000L;

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
    final long now = System.nanoTime();
    if (now < nextPrint) {
      return false;
    }
    nextPrint = now + INTERVAL_NS;
    for (int i = 0; i < last.length; i++) {
      final DeviceStats current = devices.get(i).stats();
      out.println(current.delta(last[i]).formatRates());
      last[i] = current;
    }
    out.flush();
    return true;
  }
}
