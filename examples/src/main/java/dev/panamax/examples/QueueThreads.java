package dev.panamax.examples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;

/**
 * One platform thread per queue for the apps' {@code --queues N}: thread {@code q} (named
 * {@code APP-qQ}) builds its worker on its own thread, so the worker's queues and pools belong to
 * it, then calls its step until {@link #stop()}. The app's main thread keeps printing statistics
 * and deciding when to stop.
 */
final class QueueThreads implements AutoCloseable {
  /** A queue's work: one step (a batch) at a time, returning the packets it moved. */
  interface Worker {
    /**
     * Does one step.
     *
     * @return packets moved
     */
    int step();

    /**
     * Waits when a step moved nothing (the app's idle strategy); the default spins.
     *
     * @param moved packets the last step moved
     */
    default void idle(int moved) {
      if (moved == 0) {
        Thread.onSpinWait();
      }
    }

    /** Runs once on the queue's thread after its last step (not after a failed step). */
    default void finish() {}
  }

  private final List<Thread> threads = new ArrayList<>();
  private final List<Worker> workers;
  private final Throwable[] failures;
  private volatile boolean stopped;

  private QueueThreads(String app, int queues, IntFunction<Worker> create) {
    this.failures = new Throwable[queues];
    final Worker[] made = new Worker[queues];
    final CountDownLatch ready = new CountDownLatch(queues);
    for (int q = 0; q < queues; q++) {
      final int queue = q;
      threads.add(Thread.ofPlatform().name(app + "-q" + q).start(() -> {
        final Worker worker;
        try {
          worker = create.apply(queue);
          made[queue] = worker;
        } catch (RuntimeException | Error e) {
          failures[queue] = e;
          return;
        } finally {
          ready.countDown();
        }
        try {
          while (!stopped) {
            worker.idle(worker.step());
          }
          worker.finish();
        } catch (RuntimeException | Error e) {
          failures[queue] = e;
        }
      }));
    }
    try {
      ready.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    this.workers = Arrays.asList(made);
  }

  /**
   * Starts a thread per queue.
   *
   * @param app the app's name, for thread names
   * @param queues how many
   * @param create makes queue {@code q}'s worker, on that queue's thread
   * @return the running threads
   */
  static QueueThreads start(String app, int queues, IntFunction<Worker> create) {
    return new QueueThreads(app, queues, create);
  }

  /**
   * Returns the workers by queue (null where creating one failed).
   *
   * @return the workers
   */
  List<Worker> workers() {
    return workers;
  }

  /**
   * Tells whether a thread ended with an exception.
   *
   * @return {@code true} once any queue failed
   */
  boolean failed() {
    for (Throwable t : failures) {
      if (t != null) {
        return true;
      }
    }
    for (Thread t : threads) {
      if (!t.isAlive() && !stopped) {
        return true;
      }
    }
    return false;
  }

  /** Stops every thread and waits for it; rethrows the first failure of a queue. */
  void stop() {
    stopped = true;
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (int q = 0; q < failures.length; q++) {
      if (failures[q] instanceof RuntimeException e) {
        throw e;
      }
      if (failures[q] instanceof Error e) {
        throw e;
      }
    }
  }

  @Override
  public void close() {
    stop();
  }
}
