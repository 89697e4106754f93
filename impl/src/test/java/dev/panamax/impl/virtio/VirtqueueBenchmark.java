package dev.panamax.impl.virtio;

import dev.panamax.api.PacketBatch;
import dev.panamax.impl.dma.DmaMemory;
import dev.panamax.impl.dma.PretendIommu;
import dev.panamax.impl.mempool.MempoolImpl;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * virtio-net's receive and transmit queues (split virtqueues, modern 12-byte header) against a
 * device model in ordinary memory: the benchmark thread plays the device too, taking available
 * descriptors and writing used elements. The queue calls are the ones {@link VirtioNet}'s
 * rxBatch and txBatch make, minus the notification (a register write, which traps in a VM) and
 * the counters. Scores are nanoseconds per frame; the steps are separate benchmarks, so each
 * one's cost is the difference to the one before:
 *
 * <ul>
 *   <li>{@code rxDevice}: the model's used-ring write-back alone;
 *   <li>{@code rxReceive}: write-back, {@link Virtqueue#receiveInto}, {@link Virtqueue#refill}
 *       with the publish and the notification check, then the frames are freed: what {@code recv
 *       --light} does per frame;
 *   <li>{@code txPool}: allocating a batch from the pool and freeing it (no device);
 *   <li>{@code txSend}: allocation, {@link Virtqueue#reclaimSent}, {@link Virtqueue#sendFrom}
 *       (ownership and reachability checks, header, descriptor and available-ring writes), the
 *       publish and notification check, then the model's completion: what {@code pktgen
 *       --light} does per frame minus the frame's bytes.
 * </ul>
 *
 * <p>Like {@code IntelRingBenchmark}: virtual memory and a pretend IOMMU, no hugepages, root or
 * device. Run with {@code -prof gc} for bytes per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--illegal-native-access=deny"})
public class VirtqueueBenchmark {
  /** Frames per benchmark operation. */
  public static final int FRAMES_PER_OP = 512;

  private static final int SIZE = 256;
  private static final int HEADER = 12;
  private static final long HUGE = 2L << 20;
  private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle U16_HANDLE = U16.varHandle();

  /** Frames per receive or send call. */
  @Param({"1", "32"})
  public int batch;

  private Arena arena;
  private Virtqueue rx;
  private Virtqueue tx;
  private MempoolImpl rxPool;
  private MempoolImpl txPool;
  private MemorySegment rings;
  private PretendIommu iommu;
  private PacketBatch packets;
  /** The model's next available entry and next used element, per queue. */
  private int rxAvail;
  private int rxUsed;
  private int txAvail;
  private int txUsed;
  private int rounds;

  /** Builds both queues and pools in ordinary memory; the receive queue full. */
  @Setup(Level.Trial)
  public void setUp() {
    arena = Arena.ofShared();
    iommu = new PretendIommu();
    final DmaMemory ringMemory = DmaMemory.allocateVirtual(arena, HUGE);
    ringMemory.assignTo(iommu);
    rings = ringMemory.segment();
    final DmaMemory rxMemory = DmaMemory.allocateVirtual(arena, 4 * HUGE);
    iommu.makeReachable(rxMemory);
    final DmaMemory txMemory = DmaMemory.allocateVirtual(arena, 2 * HUGE);
    iommu.makeReachable(txMemory);
    rxPool = new MempoolImpl("bench rx", rxMemory, 4096, 1024);
    txPool = new MempoolImpl("bench tx", txMemory, 2048, 1024);
    rx = new Virtqueue(0, SIZE, ringMemory, 0);
    tx = new Virtqueue(1, SIZE, ringMemory, Virtqueue.bytesNeeded(SIZE));
    refill();
    packets = new PacketBatch(batch);
    rounds = FRAMES_PER_OP / batch;
  }

  /** Returns what the queues hold to their pools and frees the memory. */
  @TearDown(Level.Trial)
  public void tearDown() {
    packets.freeAll();
    rx.drainBuffers(b -> b.pool().returnOnClose(b));
    tx.drainBuffers(b -> b.pool().returnOnClose(b));
    arena.close();
  }

  /** What VirtioNet's refillRx does, without the notification. */
  private void refill() {
    if (rx.refill(rxPool, "rx ring of bench", HEADER) > 0) {
      rx.publish();
      rx.needsNotify();
    }
  }

  /**
   * The model receives {@code n} 60-byte frames into the next available buffers: a used
   * element (id, header + 60 bytes) each, then the used index (release).
   */
  private void writeBack(int n) {
    final long avail = rx.availOffset();
    final long used = rx.usedOffset();
    for (int i = 0; i < n; i++) {
      final int id = rings.get(U16, avail + 4 + 2L * (rxAvail & (SIZE - 1)));
      final long element = used + 4 + 8L * (rxUsed & (SIZE - 1));
      rings.set(U32, element, id);
      rings.set(U32, element + 4, HEADER + 60);
      rxAvail = (rxAvail + 1) & 0xFFFF;
      rxUsed = (rxUsed + 1) & 0xFFFF;
    }
    U16_HANDLE.setRelease(rings, used + 2, (short) rxUsed);
  }

  /**
   * The model's receive write-back alone, undone after each call so the queue stays as it was.
   *
   * @return a used index, so the work cannot be optimised away
   */
  @Benchmark
  @OperationsPerInvocation(FRAMES_PER_OP)
  public int rxDevice() {
    int s = 0;
    for (int r = 0; r < rounds; r++) {
      final int avail = rxAvail;
      final int used = rxUsed;
      writeBack(batch);
      s += rx.usedIndex();
      rxAvail = avail;
      rxUsed = used;
      U16_HANDLE.setRelease(rings, rx.usedOffset() + 2, (short) used);
    }
    return s;
  }

  /**
   * Write-back, receive, refill and free, {@code batch} frames per call.
   *
   * @return frames received
   */
  @Benchmark
  @OperationsPerInvocation(FRAMES_PER_OP)
  public int rxReceive() {
    int received = 0;
    for (int r = 0; r < rounds; r++) {
      writeBack(batch);
      received += rx.receiveInto(packets, batch, HEADER);
      refill();
      packets.freeAll();
    }
    return received;
  }

  /**
   * Allocation of a batch from the transmit pool and its release: the pool's share of a send.
   *
   * @return packets allocated
   */
  @Benchmark
  @OperationsPerInvocation(FRAMES_PER_OP)
  public int txPool() {
    int n = 0;
    for (int r = 0; r < rounds; r++) {
      n += txPool.allocBatch(packets, batch, 60);
      packets.freeAll();
    }
    return n;
  }

  /**
   * Allocation, reclaim, send, publish and notification check, then the model's completion.
   *
   * @return packets sent
   */
  @Benchmark
  @OperationsPerInvocation(FRAMES_PER_OP)
  public int txSend() {
    int sent = 0;
    for (int r = 0; r < rounds; r++) {
      txPool.allocBatch(packets, batch, 60);
      tx.reclaimSent();
      sent += tx.sendFrom(packets, iommu, "bench", "txBatch on bench", HEADER);
      tx.publish();
      tx.needsNotify();
      complete();
    }
    return sent;
  }

  /** The model transmits every available buffer: a used element (id, length 0) each. */
  private void complete() {
    final long avail = tx.availOffset();
    final long used = tx.usedOffset();
    final int published = (short) U16_HANDLE.getAcquire(rings, avail + 2) & 0xFFFF;
    while (txAvail != published) {
      final int id = rings.get(U16, avail + 4 + 2L * (txAvail & (SIZE - 1)));
      final long element = used + 4 + 8L * (txUsed & (SIZE - 1));
      rings.set(U32, element, id);
      rings.set(U32, element + 4, 0);
      txAvail = (txAvail + 1) & 0xFFFF;
      txUsed = (txUsed + 1) & 0xFFFF;
    }
    U16_HANDLE.setRelease(rings, used + 2, (short) txUsed);
  }
}
