package dev.panamax.benchmarks;

import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;
import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Allocation and free of packets from one mempool, with no device: {@code allocFree} takes one
 * packet and frees it, {@value #PACKETS_PER_OP} times; {@code allocBatchFreeAll} fills a batch
 * of {@value #PACKETS_PER_OP} and frees it. Scores are nanoseconds per packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--illegal-native-access=deny"})
public class MempoolBenchmark {
  /** Packets allocated and freed per benchmark operation. */
  public static final int PACKETS_PER_OP = 64;

  private Arena arena;
  private Mempool pool;
  private PacketBatch packets;

  /** Creates the pool and the batch. */
  @Setup(Level.Trial)
  public void setUp() {
    arena = Arena.ofConfined();
    pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 1024, "bench");
    packets = new PacketBatch(PACKETS_PER_OP);
  }

  /** Closes the arena. */
  @TearDown(Level.Trial)
  public void tearDown() {
    arena.close();
  }

  /**
   * Allocates and frees one packet at a time.
   *
   * @return the sum of the lengths, so the work cannot be optimised away
   */
  @Benchmark
  @OperationsPerInvocation(PACKETS_PER_OP)
  public int allocFree() {
    int sum = 0;
    for (int i = 0; i < PACKETS_PER_OP; i++) {
      final OwnedPacket packet = pool.alloc(60);
      sum += packet.length();
      packet.free();
    }
    return sum;
  }

  /**
   * Allocates a batch and frees it.
   *
   * @return packets allocated
   */
  @Benchmark
  @OperationsPerInvocation(PACKETS_PER_OP)
  public int allocBatchFreeAll() {
    final int n = pool.allocBatch(packets, PACKETS_PER_OP, 60);
    packets.freeAll();
    return n;
  }
}
