package dev.panamax.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final int SPINS_AND_YIELDS = 300;

  @Test
  void anIdleLoopParksLongerEachTimeUpToTheLimit() {
    final Backoff backoff = new Backoff(true);
    for (int i = 0; i < SPINS_AND_YIELDS; i++) {
      backoff.idle(0);
    }
    assertEquals(Backoff.PARK_NANOS, backoff.nextParkNanos(), "no park before spinning and yielding end");
    final long begin = System.nanoTime();
    long expected = Backoff.PARK_NANOS;
    long parkedAtLeast = 0;
    for (int i = 0; i < 8; i++) {
      backoff.idle(0);
      parkedAtLeast += expected;
      expected = Math.min(expected * 2, Backoff.MAX_PARK_NANOS);
      assertEquals(expected, backoff.nextParkNanos(), "park " + (i + 1));
    }
    assertEquals(Backoff.MAX_PARK_NANOS, backoff.nextParkNanos());
    final long slept = System.nanoTime() - begin;
    // parkNanos may return early (spurious wake-up), so only a bound on the whole is checked.
    assertTrue(slept >= parkedAtLeast / 2, "8 parks took " + slept + " ns of " + parkedAtLeast);
  }

  @Test
  void workStartsAgainFromSpinning() {
    final Backoff backoff = new Backoff(true);
    for (int i = 0; i < SPINS_AND_YIELDS + 3; i++) {
      backoff.idle(0);
    }
    assertEquals(Backoff.PARK_NANOS * 8, backoff.nextParkNanos());
    backoff.idle(1);
    assertEquals(Backoff.PARK_NANOS, backoff.nextParkNanos());
    for (int i = 0; i < SPINS_AND_YIELDS; i++) {
      backoff.idle(0);
    }
    assertEquals(Backoff.PARK_NANOS, backoff.nextParkNanos(), "spins and yields again before parks");
  }

  /** Loops that read the clock every few steps read it after an idle step only if it waited. */
  @Test
  void onlyABackoffThatParksOrWaitsSaysItWaits() {
    assertEquals(false, new Backoff(false).waits());
    assertEquals(true, new Backoff(true).waits());
  }

  @Test
  void busyPollingNeverParks() {
    final Backoff busy = new Backoff(false);
    final long begin = System.nanoTime();
    for (int i = 0; i < 10_000; i++) {
      busy.idle(0);
    }
    assertEquals(Backoff.PARK_NANOS, busy.nextParkNanos());
    assertTrue(System.nanoTime() - begin < 1_000_000_000L, "10000 idle rounds of busy polling");
  }
}
