package dev.panamax.examples;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets Ctrl-C (SIGINT) or SIGTERM end an app's loop cleanly. A shutdown hook sets a flag the
 * loop polls with {@link #requested()}, then waits, at most {@value #GRACE_SECONDS} s, until the
 * app calls {@link #close()}: after it has closed its devices and files and printed its summary.
 * Closing also removes the hook, so an app that ends on its own leaves nothing registered.
 */
public final class StopSignal implements AutoCloseable {
  /** How long the JVM's shutdown waits for the app to finish. */
  public static final long GRACE_SECONDS = 30;

  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;
  private volatile boolean requested;

  private StopSignal(String app) {
    this.hook = new Thread(this::onShutdown, "panamax-" + app + "-stop");
  }

  /**
   * Registers the shutdown hook.
   *
   * @param app the app's name, for the hook thread's name
   * @return the signal
   */
  public static StopSignal install(String app) {
    final StopSignal signal = new StopSignal(app);
    Runtime.getRuntime().addShutdownHook(signal.hook);
    return signal;
  }

  /**
   * Tells whether the JVM is shutting down (Ctrl-C, SIGTERM, {@code System.exit}).
   *
   * @return {@code true} once the loop should stop
   */
  public boolean requested() {
    return requested;
  }

  private void onShutdown() {
    requested = true;
    try {
      finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reports the app finished and removes the hook unless it is already running. */
  @Override
  public void close() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running (or has run) and now returns.
      requested = true;
    }
  }
}
