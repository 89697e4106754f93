package dev.panamax.impl.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;
import java.lang.foreign.Arena;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One thread per mempool and per device queue: a second live thread is refused before it
 * changes anything, the pool's counters stay exact, and a pool or queue passes to another
 * thread after releaseThread() or when its user ends.
 */
class ThreadConfinementTest {
  private final Arena arena = Arena.ofShared();

  @AfterEach
  void close() {
    arena.close();
  }

  private Mempool pool(int count) {
    return Mempool.create(arena, DmaSource.virtualMemory(), 2048, count, "shared");
  }

  /** Runs {@code body} on a new thread named {@code name} and returns what it threw, or null. */
  private static Throwable onThread(String name, Runnable body) throws InterruptedException {
    final AtomicReference<Throwable> thrown = new AtomicReference<>();
    final Thread thread = Thread.ofPlatform().name(name).start(() -> {
      try {
        body.run();
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    thread.join();
    return thrown.get();
  }

  /** Holds the calling thread alive as the user of something until {@link #finish()}. */
  private static final class LiveUser implements AutoCloseable {
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread thread;

    LiveUser(String name, Runnable use) throws InterruptedException {
      thread = Thread.ofPlatform().name(name).start(() -> {
        use.run();
        started.countDown();
        try {
          done.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      assertTrue(started.await(10, TimeUnit.SECONDS));
    }

    void finish() throws InterruptedException {
      done.countDown();
      thread.join();
    }

    @Override
    public void close() throws InterruptedException {
      finish();
    }
  }

  @Test
  void secondThreadIsRefusedWhileTheUserLivesAndNothingChanges() throws Exception {
    final Mempool p = pool(8);
    try (LiveUser user = new LiveUser("worker-1", () -> p.alloc(60).free())) {
      final Throwable refused = onThread("worker-2", () -> p.alloc(60));
      assertInstanceOf(IllegalStateException.class, refused);
      assertTrue(refused.getMessage().contains("mempool 'shared': alloc on thread \"worker-2\"")
          && refused.getMessage().contains("thread \"worker-1\" uses it"), refused.getMessage());
      assertEquals(8, p.freeCount(), "a refused alloc takes nothing");
      final Throwable batch = onThread("worker-3", () -> p.allocBatch(new PacketBatch(4), 4, 60));
      assertInstanceOf(IllegalStateException.class, batch);
      assertEquals(8, p.freeCount());
    }
  }

  @Test
  void freeFromAnotherThreadIsRefusedAndThePacketStaysOwned() throws Exception {
    final Mempool p = pool(4);
    final AtomicReference<OwnedPacket> handed = new AtomicReference<>();
    final LiveUser user = new LiveUser("owner", () -> handed.set(p.alloc(60)));
    final Throwable refused = onThread("other", () -> handed.get().free());
    assertInstanceOf(IllegalStateException.class, refused);
    assertEquals(1, p.ownedCount(), "the refused free left the packet owned");
    user.finish();
    // The user ended: the pool passes to the next thread, which can free the packet.
    assertNull(onThread("heir", () -> handed.get().free()));
    assertEquals(4, p.freeCount());
  }

  @Test
  void releaseThreadHandsThePoolOver() throws Exception {
    final Mempool p = pool(4);
    try (LiveUser user = new LiveUser("first", () -> {
      p.alloc(60).free();
      p.releaseThread();
    })) {
      assertNull(onThread("second", () -> p.alloc(60).free()));
      // "second" ended, so "first" (still alive) may take the pool back.
      assertEquals(4, p.freeCount());
    }
  }

  @Test
  void twoThreadsHammeringOnePoolLoseNoBuffer() throws Exception {
    final Mempool p = pool(256);
    final AtomicLong refusals = new AtomicLong();
    final AtomicLong cycles = new AtomicLong();
    final CountDownLatch go = new CountDownLatch(1);
    final Runnable hammer = () -> {
      try {
        go.await();
      } catch (InterruptedException e) {
        return;
      }
      final long end = System.nanoTime() + 500_000_000L;
      final PacketBatch batch = new PacketBatch(32);
      while (System.nanoTime() < end) {
        try {
          p.allocBatch(batch, 32, 60);
          batch.freeAll();
          cycles.incrementAndGet();
        } catch (IllegalStateException e) {
          refusals.incrementAndGet();
        }
      }
    };
    final Thread a = Thread.ofPlatform().name("hammer-a").start(hammer);
    final Thread b = Thread.ofPlatform().name("hammer-b").start(hammer);
    go.countDown();
    a.join();
    b.join();
    assertTrue(cycles.get() > 0 && refusals.get() > 0, cycles + " cycles, " + refusals + " refusals");
    assertEquals(256, p.freeCount(), "every buffer is back on the free stack");
    assertEquals(0, p.ownedCount());
  }

  @Test
  void aPairLinkHasOneUserThreadSoItsRingsAndPoolsAreNeverShared() throws Exception {
    final Mempool p = pool(16);
    try (NetworkDevice tx = NetworkDevice.open("pair:threads:0");
         NetworkDevice rx = NetworkDevice.open("pair:threads:1")) {
      final Consumer<NetworkDevice> send = d -> {
        final PacketBatch batch = new PacketBatch(4);
        p.allocBatch(batch, 4, 60);
        d.txBatch(0, batch);
        batch.freeAll();
      };
      final LiveUser sender = new LiveUser("sender", () -> send.accept(tx));
      final Throwable intruder = onThread("intruder", () -> tx.txBatch(0, new PacketBatch(1)));
      assertInstanceOf(IllegalStateException.class, intruder);
      assertTrue(intruder.getMessage().contains("device pair:threads:0 tx queue 0: txBatch on thread"
          + " \"intruder\" refused: thread \"sender\" uses it"), intruder.getMessage());
      // A receiver on another thread would free the sender's packets into the sender's pool
      // while the sender allocates from it: refused before the ring is touched.
      final Throwable receiver = onThread("receiver", () -> rx.rxBatch(0, new PacketBatch(8), 8));
      assertInstanceOf(IllegalStateException.class, receiver);
      assertTrue(receiver.getMessage().contains("pair 'threads': rxBatch on pair:threads:1 on thread"
          + " \"receiver\" refused: thread \"sender\" uses it"), receiver.getMessage());
      assertEquals(4, p.inFlightCount(), "the four packets still wait in the ring");
      sender.finish();
      // The sender ended: this thread becomes the user of the queues, the link and the pool.
      final PacketBatch in = new PacketBatch(8);
      assertEquals(4, rx.rxBatch(0, in, 8));
      in.freeAll();
      assertEquals(16, p.freeCount());
    }
  }
}
