package dev.panamax.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

  @Test
  void aLongestParkSetInMicrosecondsIsReachedByDoubling() {
    assertEquals(10_000_000L, Backoff.maxParkNanos("10000"));
    assertEquals(Backoff.MAX_PARK_NANOS, Backoff.maxParkNanos(null));
    final Backoff backoff = new Backoff(true, Backoff.maxParkNanos("10000"));
    for (int i = 0; i < SPINS_AND_YIELDS; i++) {
      backoff.idle(0);
    }
    long expected = Backoff.PARK_NANOS;
    for (int i = 0; i < 10; i++) {
      backoff.idle(0);
      expected = Math.min(expected * 2, 10_000_000L);
    }
    assertEquals(10_000_000L, expected);
    assertEquals(expected, backoff.nextParkNanos(), "past the default 1 ms, up to 10 ms");
  }

  @Test
  void aBadLongestParkIsRefusedNamingTheProperty() {
    for (String bad : new String[] {"", "ten", "-5", "49", "1000001", "1.5", "99999999999"}) {
      final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Backoff.maxParkNanos(bad), bad);
      assertEquals("-Dpanamax.backoff.maxParkMicros=" + bad + ": the longest park must be a whole"
          + " number of microseconds from 50 to 1000000", e.getMessage());
    }
    assertEquals(50_000L, Backoff.maxParkNanos("50"));
    assertEquals(1_000_000_000L, Backoff.maxParkNanos(" 1000000 "));
  }

  @Test
  void theAppsRefuseABadLongestParkBeforeTheyOpenADevice() {
    final String before = System.getProperty(Backoff.MAX_PARK_PROPERTY);
    final java.io.PrintStream err = System.err;
    final java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setProperty(Backoff.MAX_PARK_PROPERTY, "0");
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      assertEquals(2, Main.run("pktgen", "null:x", "--count", "1"));
    } finally {
      System.setErr(err);
      if (before == null) {
        System.clearProperty(Backoff.MAX_PARK_PROPERTY);
      } else {
        System.setProperty(Backoff.MAX_PARK_PROPERTY, before);
      }
    }
    assertEquals("panamax: -Dpanamax.backoff.maxParkMicros=0: the longest park must be a whole"
        + " number of microseconds from 50 to 1000000",
        captured.toString(java.nio.charset.StandardCharsets.UTF_8).strip());
  }
}
