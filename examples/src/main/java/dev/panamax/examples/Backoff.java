package dev.panamax.examples;

import java.util.concurrent.locks.LockSupport;

/**
 * What a polling loop does when a round found no work: by default nothing (busy polling, the
 * lowest latency, one core per loop); with backoff it spins a little, then yields, then parks
 * for {@value #PARK_NANOS} ns, so loops that share CPUs (several apps on one VM, a laptop) leave
 * time to each other. Allocation-free.
 */
public final class Backoff {
  private static final int SPINS = 100;
  private static final int YIELDS = 200;
  /** How long an idle loop parks once spinning and yielding found nothing. */
  public static final long PARK_NANOS = 50_000;

  private final boolean enabled;
  private int idleRounds;

  /**
   * Creates the strategy.
   *
   * @param enabled false for pure busy polling
   */
  public Backoff(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * Reports one round of the loop.
   *
   * @param work packets handled in the round; 0 means idle
   */
  public void idle(int work) {
    if (work > 0 || !enabled) {
      idleRounds = 0;
      return;
    }
    final int rounds = ++idleRounds;
    if (rounds <= SPINS) {
      Thread.onSpinWait();
    } else if (rounds <= SPINS + YIELDS) {
      Thread.yield();
    } else {
      LockSupport.parkNanos(PARK_NANOS);
    }
  }
}
