package dev.panamax.impl.intel;

import dev.panamax.api.PacketBatch;
import dev.panamax.impl.dma.DmaMemory;
import dev.panamax.impl.dma.PretendIommu;
import dev.panamax.impl.mempool.MempoolImpl;
import dev.panamax.impl.unsafe.Mmio;
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
 * The Intel drivers' receive and transmit rings (igb/ixgbe advanced descriptors, or e1000
 * legacy ones) against a register and ring model in ordinary memory: the benchmark thread plays
 * the device too, writing back DD, EOP and the length into receive descriptors and DD into the
 * transmit descriptors that asked for status. Scores are nanoseconds per frame; the steps are
 * separate benchmarks, so each one's cost is the difference to the one before:
 *
 * <ul>
 *   <li>{@code rxDevice}: the model's write-back alone (the part of every receive figure that a
 *       real device does);
 *   <li>{@code rxReceive}: write-back, then {@link RxRing#receive} (status check, hand-over to
 *       the application, refill from the pool, descriptor and tail writes), then the frames are
 *       freed: what {@code recv --light} does per frame;
 *   <li>{@code txPool}: allocating a batch from the pool and freeing it (no device);
 *   <li>{@code txSend}: allocating a batch, {@link TxRing#send} (ownership and reachability
 *       checks, descriptor writes, RS every 32, the tail), the model's write-back, and the next
 *       send's clean-up that returns the buffers: what {@code pktgen --light} does per frame
 *       minus the header bytes.
 * </ul>
 *
 * <p>The memory is virtual and the device's addresses are I/O virtual addresses of a pretend
 * IOMMU mapping, so no hugepages, root or device are needed; no address is ever dereferenced as
 * a bus address. Run with {@code -prof gc} for bytes per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--illegal-native-access=deny"})
public class IntelRingBenchmark {
  /** Frames per benchmark operation. */
  public static final int FRAMES_PER_OP = 512;

  private static final int RING = 512;
  private static final long HUGE = 2L << 20;
  private static final int STATUS_DD_EOP =
      DescriptorFormat.STATUS_DD | DescriptorFormat.STATUS_EOP;
  private static final VarHandle U32 =
      ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
  private static final ValueLayout.OfShort U16 =
      ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN);

  /** Frames per receive or send call. */
  @Param({"1", "32"})
  public int batch;

  /** Descriptor format: ADVANCED (igb, ixgbe) or LEGACY (e1000). */
  @Param({"ADVANCED", "LEGACY"})
  public String format;

  private Arena arena;
  private RxRing rx;
  private TxRing tx;
  private MempoolImpl txPool;
  private MemorySegment rxRing;
  private MemorySegment txRing;
  private PacketBatch packets;
  private long rxStatusOffset;
  private long rxLengthOffset;
  private int rxDeviceHead;
  private int txDeviceHead;
  private int rounds;

  /** Builds both rings over a register window and pools in ordinary memory, rx ring full. */
  @Setup(Level.Trial)
  public void setUp() {
    arena = Arena.ofShared();
    final DescriptorFormat f = DescriptorFormat.valueOf(format);
    rxStatusOffset = f.rxStatusOffset;
    rxLengthOffset = f.rxLengthOffset;
    final PretendIommu iommu = new PretendIommu();
    final Mmio registers = new Mmio(arena.allocate(0x20000, 4096));
    final DmaMemory rings = DmaMemory.allocateVirtual(arena, HUGE);
    rings.assignTo(iommu);
    final DmaMemory rxMemory = DmaMemory.allocateVirtual(arena, 4 * HUGE);
    iommu.makeReachable(rxMemory);
    final DmaMemory txMemory = DmaMemory.allocateVirtual(arena, 2 * HUGE);
    iommu.makeReachable(txMemory);
    final MempoolImpl rxPool = new MempoolImpl("bench rx", rxMemory, 4096, 1024);
    txPool = new MempoolImpl("bench tx", txMemory, 2048, 1024);
    final QueueRegisters queue = QueueRegisters.standard(0x2800, 0x3800);
    rx = new RxRing(registers, queue, f, rings, 0, RING, rxPool, "rxBatch on bench", "bench");
    tx = new TxRing(registers, queue, f, rings, 16L * RING, RING, "txBatch on bench", "bench");
    rxRing = rings.segment().asSlice(0, 16L * RING);
    txRing = rings.segment().asSlice(16L * RING, 16L * RING);
    rx.program();
    rx.refill();
    tx.program();
    packets = new PacketBatch(batch);
    rounds = FRAMES_PER_OP / batch;
  }

  /** Returns what the rings hold to their pools and frees the memory. */
  @TearDown(Level.Trial)
  public void tearDown() {
    packets.freeAll();
    rx.drain();
    tx.drain();
    arena.close();
  }

  /** The model receives {@code n} 60-byte frames: length, then DD and EOP (release). */
  private void writeBack(int n) {
    int h = rxDeviceHead;
    for (int i = 0; i < n; i++) {
      final long d = (long) h * 16;
      rxRing.set(U16, d + rxLengthOffset, (short) 60);
      U32.setRelease(rxRing, d + rxStatusOffset, STATUS_DD_EOP);
      h = (h + 1) & (RING - 1);
    }
    rxDeviceHead = h;
  }

  /**
   * The model's receive write-back alone, undone after each call so the ring stays as it was.
   *
   * @return a status word, so the work cannot be optimised away
   */
  @Benchmark
  @OperationsPerInvocation(FRAMES_PER_OP)
  public int rxDevice() {
    int s = 0;
    for (int r = 0; r < rounds; r++) {
      final int h = rxDeviceHead;
      writeBack(batch);
      s += (int) U32.getAcquire(rxRing, (long) h * 16 + rxStatusOffset);
      rxDeviceHead = h;
    }
    return s;
  }

  /**
   * Write-back, receive (with refill) and free, {@code batch} frames per call.
   *
   * @return frames received
   */
  @Benchmark
  @OperationsPerInvocation(FRAMES_PER_OP)
  public int rxReceive() {
    int received = 0;
    for (int r = 0; r < rounds; r++) {
      writeBack(batch);
      received += rx.receive(packets, batch);
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
   * Allocation, send, the model's write-back of DD where RS was asked for, and the clean-up by
   * the next send.
   *
   * @return packets sent
   */
  @Benchmark
  @OperationsPerInvocation(FRAMES_PER_OP)
  public int txSend() {
    int sent = 0;
    for (int r = 0; r < rounds; r++) {
      txPool.allocBatch(packets, batch, 60);
      sent += tx.send(packets);
      complete();
    }
    return sent;
  }

  /** The model transmits every descriptor up to the tail; DD where RS was set. */
  private void complete() {
    final int tail = (tx.lastSent() + txDeviceHead) & (RING - 1);
    int h = txDeviceHead;
    while (h != tail) {
      final long d = (long) h * 16;
      if (((int) U32.get(txRing, d + 8) & DescriptorFormat.CMD_RS) != 0) {
        U32.setRelease(txRing, d + 12, DescriptorFormat.STATUS_DD);
      }
      h = (h + 1) & (RING - 1);
    }
    txDeviceHead = h;
  }
}
