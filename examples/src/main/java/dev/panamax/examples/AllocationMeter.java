package dev.panamax.examples;

import java.lang.management.ManagementFactory;

/**
 * Counts heap bytes the current thread allocates inside measured sections (the data path), so
 * the apps can report bytes per packet. Uses HotSpot's per-thread allocation counter, which
 * itself does not allocate.
 */
public final class AllocationMeter {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private long total;
  private long start;

  /** Marks the start of a measured section. */
  public void begin() {
    start = THREADS.getCurrentThreadAllocatedBytes();
  }

  /** Marks the end of a measured section. */
  public void end() {
    total += THREADS.getCurrentThreadAllocatedBytes() - start;
  }

  /**
   * Returns the bytes allocated in all measured sections.
   *
   * @return allocated bytes
   */
  public long total() {
    return total;
  }

  /**
   * Formats the total per packet.
   *
   * @param packets packets handled in the measured sections
   * @return e.g. "0 B in the data path over 5000 packets (0.000 B/packet)"
   */
  public String perPacket(long packets) {
    return String.format(java.util.Locale.ROOT, "%d B allocated in the data path over %d packets"
        + " (%.3f B/packet)", total, packets, packets == 0 ? 0.0 : (double) total / packets);
  }
}
