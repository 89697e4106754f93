package dev.panamax.examples;

import java.time.Instant;

/**
 * Wall-clock time in microseconds since the Unix epoch, read without allocating: the wall clock
 * is read once, at creation, and {@link System#nanoTime()} measures the time since.
 */
public final class EpochClock {
  private final long baseMicros;
  private final long baseNanos;

  /** Reads the wall clock once. */
  public EpochClock() {
    final Instant now = Instant.now();
    this.baseNanos = System.nanoTime();
    this.baseMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  /**
   * Returns the current time.
   *
   * @return microseconds since 1970-01-01T00:00Z
   */
  public long micros() {
    return baseMicros + (System.nanoTime() - baseNanos) / 1_000;
  }
}
