package dev.panamax.benchmarks;

import dev.panamax.api.Borrowed;
import dev.panamax.api.DeviceOptions;
import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.NetworkDevice;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * rx → touch one byte → tx through an in-memory pair, the forwarding loop of ixy-fwd without a
 * NIC. {@code batch} packets circulate: each round receives them on one end and transmits them
 * back, on both ends, so every operation moves {@value #PACKETS_PER_OP} packets whatever the
 * batch size and the score is nanoseconds per packet. Run with {@code -prof gc} to see bytes
 * allocated per packet ({@code gc.alloc.rate.norm}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--illegal-native-access=deny"})
public class PairForwardBenchmark {
  /** Packets moved per benchmark operation. */
  public static final int PACKETS_PER_OP = 512;

  /** Packets per rx/tx call. */
  @Param({"1", "8", "32", "64", "256"})
  public int batch;

  private Arena arena;
  private NetworkDevice end0;
  private NetworkDevice end1;
  private PacketBatch packets;
  private int rounds;

  /** Opens the pair and puts {@code batch} packets in flight towards end 1. */
  @Setup(Level.Trial)
  public void setUp() {
    arena = Arena.ofConfined();
    final DeviceOptions options = DeviceOptions.defaults().withRingSize(512);
    end0 = NetworkDevice.open("pair:bench:0", options);
    end1 = NetworkDevice.open("pair:bench:1", options);
    final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 1024, "bench");
    packets = new PacketBatch(batch);
    pool.allocBatch(packets, batch, 60);
    end0.txBatch(0, packets);
    rounds = PACKETS_PER_OP / (2 * batch);
    if (rounds * 2 * batch != PACKETS_PER_OP) {
      throw new IllegalStateException("batch must divide " + PACKETS_PER_OP / 2);
    }
  }

  /** Closes the pair (its in-flight packets return to the pool) and the arena. */
  @TearDown(Level.Trial)
  public void tearDown() {
    end1.close();
    end0.close();
    arena.close();
  }

  /**
   * Forwards {@value #PACKETS_PER_OP} packets.
   *
   * @return packets received, so the work cannot be optimised away
   */
  @Benchmark
  @OperationsPerInvocation(PACKETS_PER_OP)
  public int forward() {
    int received = 0;
    for (int i = 0; i < rounds; i++) {
      received += forwardOnce(end1);
      received += forwardOnce(end0);
    }
    return received;
  }

  private int forwardOnce(NetworkDevice device) {
    final int n = device.rxBatch(0, packets, batch);
    packets.forEach(PairForwardBenchmark::touch);
    device.txBatch(0, packets);
    return n;
  }

  private static void touch(@Borrowed OwnedPacket packet) {
    packet.putByte(1, (byte) (packet.getByte(1) + 1));
  }
}
