package dev.panamax.examples;

import dev.panamax.api.NetworkDevice;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * What a polling loop does when a round found no work: by default nothing (busy polling, the
 * lowest latency, one core per loop); with backoff it spins a little, then yields, then parks,
 * so loops that share CPUs (several apps on one VM, a laptop) leave time to each other. The first
 * park lasts {@value #PARK_NANOS} ns and each further idle park twice as long as the one before,
 * up to {@value #MAX_PARK_NANOS} ns: a loop that stays idle wakes about a thousand times a
 * second instead of twenty thousand, and a loop that finds work starts again from spinning. The
 * price is latency after a quiet spell: up to {@value #MAX_PARK_NANOS} ns before the first
 * packet is seen, which the device's ring absorbs (512 descriptors hold 1 ms at 0.5 Mpps).
 * Where a wake-up is dear (an emulated CPU), the system property {@value #MAX_PARK_PROPERTY}
 * sets the longest park in microseconds; the price then grows with it. Allocation-free.
 */
public final class Backoff {
  private final int queue;
  private static final int SPINS = 100;
  private static final int YIELDS = 200;
  /** How long an idle loop first parks once spinning and yielding found nothing. */
  public static final long PARK_NANOS = 50_000;

  /** The longest park by default: each idle park doubles the previous one up to this. */
  public static final long MAX_PARK_NANOS = 1_000_000;

  /** System property: the longest park in microseconds, 50 to 1000000 (default 1000). */
  public static final String MAX_PARK_PROPERTY = "panamax.backoff.maxParkMicros";

  private static final long MAX_PARK_MICROS_LIMIT = 1_000_000;

  /** Longest sleep on a receive interrupt before the loop checks its deadlines again. */
  public static final int INTERRUPT_WAIT_MILLIS = 100;

  private final boolean enabled;
  private final @Nullable NetworkDevice device;
  private final long maxParkNanos;
  private int idleRounds;
  private long parkNanos = PARK_NANOS;

  /**
   * Creates the strategy.
   *
   * @param enabled false for pure busy polling
   */
  public Backoff(boolean enabled) {
    this(enabled, configuredMaxParkNanos());
  }

  /** As {@link #Backoff(boolean)} with the longest park given (tests). */
  Backoff(boolean enabled, long maxParkNanos) {
    this.enabled = enabled;
    this.device = null;
    this.queue = 0;
    this.maxParkNanos = maxParkNanos;
  }

  /**
   * Creates the strategy of a receiver: with {@code interrupts}, an idle round sleeps in {@link
   * NetworkDevice#awaitReceive} (on the receive interrupt where the device has one, at most
   * {@value #INTERRUPT_WAIT_MILLIS} ms); otherwise as {@link #Backoff(boolean)}.
   *
   * @param device the receiving device, queue 0
   * @param backoff spin, yield, then park when idle
   * @param interrupts sleep until packets arrive
   */
  public Backoff(NetworkDevice device, boolean backoff, boolean interrupts) {
    this(device, 0, backoff, interrupts);
  }

  /**
   * Creates the strategy of one receive queue's thread.
   *
   * @param device the receiving device
   * @param queue the receive queue the thread polls
   * @param backoff spin, yield, then park when idle
   * @param interrupts sleep until packets arrive on that queue
   */
  public Backoff(NetworkDevice device, int queue, boolean backoff, boolean interrupts) {
    this.enabled = backoff || interrupts;
    this.device = interrupts ? device : null;
    this.queue = queue;
    this.maxParkNanos = configuredMaxParkNanos();
  }

  /**
   * The longest park: {@value #MAX_PARK_NANOS} ns, or what the system property {@value
   * #MAX_PARK_PROPERTY} says in microseconds.
   *
   * @return nanoseconds
   * @throws IllegalArgumentException naming the property when its value is not a whole number
   *     from 50 to 1000000
   */
  static long configuredMaxParkNanos() {
    return maxParkNanos(System.getProperty(MAX_PARK_PROPERTY));
  }

  /**
   * Reads a longest park given in microseconds.
   *
   * @param micros the property's value, or null for the default
   * @return nanoseconds
   * @throws IllegalArgumentException naming the property when the value is not a whole number
   *     from 50 to 1000000
   */
  static long maxParkNanos(@Nullable String micros) {
    if (micros == null) {
      return MAX_PARK_NANOS;
    }
    final String text = micros.strip();
    final long nanos = text.matches("[0-9]{1,7}") ? Long.parseLong(text) * 1000 : -1;
    if (nanos < PARK_NANOS || nanos > MAX_PARK_MICROS_LIMIT * 1000) {
      throw new IllegalArgumentException("-D" + MAX_PARK_PROPERTY + "=" + micros
          + ": the longest park must be a whole number of microseconds from " + PARK_NANOS / 1000
          + " to " + MAX_PARK_MICROS_LIMIT);
    }
    return nanos;
  }

  /**
   * Tells whether {@link #idle} may block (yield, park or wait for an interrupt) after a step
   * that did no work, rather than only spin: loops that read the clock once per several steps
   * read it after such a step instead, so that a deadline is not overshot by the waits.
   *
   * @return {@code true} with backoff or interrupts
   */
  public boolean waits() {
    return enabled;
  }

  /**
   * Reports one round of the loop.
   *
   * @param work packets handled in the round; 0 means idle
   */
  public void idle(int work) {
    if (work > 0 || !enabled) {
      idleRounds = 0;
      parkNanos = PARK_NANOS;
      return;
    }
    final NetworkDevice receiver = device;
    if (receiver != null) {
      receiver.awaitReceive(queue, INTERRUPT_WAIT_MILLIS);
      return;
    }
    final int rounds = ++idleRounds;
    if (rounds <= SPINS) {
      Thread.onSpinWait();
    } else if (rounds <= SPINS + YIELDS) {
      Thread.yield();
    } else {
      final long park = parkNanos;
      LockSupport.parkNanos(park);
      parkNanos = Math.min(park * 2, maxParkNanos);
    }
  }

  /**
   * How long the next idle park will last, in nanoseconds.
   *
   * @return between {@link #PARK_NANOS} and the longest park
   */
  long nextParkNanos() {
    return parkNanos;
  }
}
