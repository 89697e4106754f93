package dev.panamax.examples;

import dev.panamax.api.DeviceOptions;
import dev.panamax.api.DmaSource;
import dev.panamax.api.MacAddress;
import dev.panamax.api.Mempool;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.QueueStats;
import dev.panamax.api.Rss;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code panamax pktgen DEVICE}: transmit test frames as fast as the device takes them. */
@Command(
    name = "pktgen",
    mixinStandardHelpOptions = true,
    description = "Generate test frames (sequence number + checksum) on a device; prints one"
        + " stats line per second and a summary. Exit status 0, or 3 if frames the device"
        + " accepted were never transmitted.")
public final class PktgenCommand implements Callable<Integer> {
  /** Batches sent between two reads of the clock and the allocation meter. */
  static final int CLOCK_STEPS = 64;

  /** Buffers in pktgen's packet pool unless {@code --buffers} says otherwise. */
  static final int DEFAULT_BUFFERS = 4096;

  @Parameters(index = "0", paramLabel = "DEVICE", description = "PCI address or virtual device")
  String device = "";

  @Option(names = {"-b", "--batch"}, description = "packets per batch, 1 to --buffers (default:"
      + " ${DEFAULT-VALUE})")
  int batch = 64;

  @Option(names = {"-s", "--size"}, description = "frame size without FCS, 60 to 1984 (default:"
      + " ${DEFAULT-VALUE})")
  int size = 60;

  @Option(names = {"-n", "--count"}, description = "stop after N packets, 0 = run until --seconds")
  long count;

  @Option(names = {"-t", "--seconds"}, description = "stop after this many seconds, 0 = never")
  long seconds;

  @Option(names = "--dst", description = "destination MAC (default: ${DEFAULT-VALUE})")
  String destination = "52:54:00:00:00:02";

  @Option(names = "--pps", description = "packets per second, up to 10^9; 0 = as fast as possible")
  long rate;

  @Option(names = "--flows", description = "UDP flows: cycle the source port over N values from 42"
      + " (default: ${DEFAULT-VALUE})")
  int flows = 1;

  @Option(names = "--buffers", description = "mempool buffers, 1 to 1048576 (default:"
      + " ${DEFAULT-VALUE})")
  int buffers = DEFAULT_BUFFERS;

  @Option(names = "--backoff", description = "when idle, yield and park instead of busy polling"
      + " (for CPUs shared by several apps, e.g. in the VM)")
  boolean backoff;

  @Option(names = "--memory", description = "AUTO, HUGEPAGES or VIRTUAL (default: ${DEFAULT-VALUE})")
  Memory memory = Memory.AUTO;

  @Option(names = "--queues", description = "transmit queues, 1 to 16, one thread and one pool of"
      + " --buffers each: queue q sends the sequence numbers q, q+N, q+2N, ... at 1/N of --pps, so"
      + " recv still verifies every frame (default: ${DEFAULT-VALUE})")
  int queues = 1;

  @Option(names = "--light", description = "write only headers and sequence numbers, no payload"
      + " checksum or filler: frames recv cannot verify, for measuring the device path as a plain"
      + " traffic generator does (default: full test frames)")
  boolean light;

  @Mixin ClaimOptions claim = new ClaimOptions();

  @Mixin JfrOption jfr = new JfrOption();

  @Override
  public Integer call() {
    final MacAddress dst = validate();
    final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    // Recording ends after the device is closed, so its close event is in the file.
    final JfrOption.Session recording = jfr.start(out, "pktgen");
    try {
      return generate(dst, out);
    } finally {
      recording.close();
    }
  }

  private int generate(MacAddress dst, PrintStream out) {
    // The signal handler first: Ctrl-C or SIGTERM during the open still ends in a clean close.
    // With several queues each pool is made and used on its queue's thread: a shared arena.
    try (StopSignal stop = StopSignal.install("pktgen");
        Arena arena = queues > 1 ? Arena.ofShared() : Arena.ofConfined();
        NetworkDevice dev = NetworkDevice.open(device, claim.apply(DeviceOptions.defaults()
            .withDmaSource(memory.sourceFor(device)).withQueues(1, queues)))) {
      if (queues > 1) {
        return generateOnQueues(dst, out, stop, arena, dev);
      }
      final Mempool pool = Mempool.create(
          arena, memory.sourceFor(device), OptionChecks.ENTRY_SIZE, buffers, "pktgen");
      final PacketGenerator gen = new PacketGenerator(dev, 0, 1, pool, batch, size, count, dst,
          rate, flows, light);
      final StatsPrinter stats = new StatsPrinter(out, List.of(dev));
      final long deadline = seconds > 0 ? System.nanoTime() + seconds * 1_000_000_000L : Long.MAX_VALUE;
      ClaimOptions.announce(out, "pktgen", dev);
      out.println(startLine(dev));
      final Backoff idle = new Backoff(backoff);
      final AllocationMeter meter = new AllocationMeter();
      // The clock (a system call, and a trapped timer read in a VM whose clocksource is hpet)
      // and the allocation meter are read once per CLOCK_STEPS batches, or after a step that
      // found the ring full and waited (--backoff).
      long now = System.nanoTime();
      while (!stop.requested() && !gen.isDone() && now < deadline) {
        meter.begin();
        for (int k = 0; k < CLOCK_STEPS; k++) {
          final int sent = gen.step();
          idle.idle(sent);
          if ((sent == 0 && idle.waits()) || gen.isDone() || stop.requested()) {
            break;
          }
        }
        meter.end();
        now = System.nanoTime();
        stats.poll(now);
      }
      // Closing resets the device: wait until it has sent what it accepted.
      final int queued = pool.inFlightCount();
      final long waitStart = System.nanoTime();
      final int unsent = gen.awaitTransmitted(1_000_000_000L);
      if (unsent > 0) {
        out.println("pktgen: " + unsent + " of the last " + queued + " frames still queued on the"
            + " device after 1 s without progress; closing the device drops them");
      } else if (queued > 0) {
        out.println("pktgen: the device completed the last " + queued + " frames in "
            + (System.nanoTime() - waitStart) / 1_000_000 + " ms");
      }
      out.println("pktgen: " + poolLine(pool));
      final var total = dev.stats();
      // "Sent" is what the device completed: frames it accepted but never transmitted (a
      // virtio NIC whose link has no peer keeps them queued) are reported, and fail the run.
      final long transmitted = gen.sent() - unsent;
      out.println("pktgen: sent " + transmitted + " packets"
          + (unsent > 0 ? ", " + unsent + " more accepted by the device but never transmitted"
              + " (dropped when it was closed)" : "")
          + (stop.requested() ? ", stopped by signal" : "") + "; device counters: tx " + total.txPackets()
          + " packets " + total.txBytes() + " bytes");
      out.println("pktgen: " + meter.perPacket(gen.sent()));
      return unsent > 0 ? 3 : 0;
    }
  }

  /**
   * {@code --queues N}: thread {@code q} generates on transmit queue {@code q} from its own pool;
   * this thread prints the stats and waits until every queue has sent its share (or the time is
   * up, or a signal came). Each queue thread waits for its device completions itself.
   */
  private int generateOnQueues(MacAddress dst, PrintStream out, StopSignal stop, Arena arena,
      NetworkDevice dev) {
    final DmaSource source = memory.sourceFor(device);
    final StatsPrinter stats = new StatsPrinter(out, List.of(dev));
    final long deadline = seconds > 0 ? System.nanoTime() + seconds * 1_000_000_000L : Long.MAX_VALUE;
    ClaimOptions.announce(out, "pktgen", dev);
    out.println(startLine(dev) + ", " + queues + " queues");
    final List<QueueThreads.Worker> workers;
    try (QueueThreads threads = QueueThreads.start("pktgen", queues, q -> {
      final Mempool pool = Mempool.create(arena, source, OptionChecks.ENTRY_SIZE, buffers,
          "pktgen-q" + q);
      return new QueueSender(pool, new PacketGenerator(dev, q, queues, pool, batch, size, count, dst,
          rate, flows, light), new Backoff(backoff));
    })) {
      while (!stop.requested() && !threads.failed() && System.nanoTime() < deadline
          && !allDone(threads.workers())) {
        stats.poll();
        LockSupport.parkNanos(10_000_000L);
      }
      threads.stop();
      workers = threads.workers();
    }
    long sent = 0;
    long unsent = 0;
    for (int q = 0; q < queues; q++) {
      final QueueSender s = (QueueSender) workers.get(q);
      final QueueStats qs = dev.queueStats(q);
      sent += s.generator.sent() - s.unsent;
      unsent += s.unsent;
      out.println("pktgen queue " + q + ": sent " + (s.generator.sent() - s.unsent) + " packets"
          + (s.unsent > 0 ? ", " + s.unsent + " more never transmitted" : "") + ", device tx "
          + qs.txPackets() + " packets; " + s.poolSummary);
    }
    final var total = dev.stats();
    out.println("pktgen: sent " + sent + " packets"
        + (unsent > 0 ? ", " + unsent + " more accepted by the device but never transmitted"
            + " (dropped when it was closed)" : "")
        + (stop.requested() ? ", stopped by signal" : "") + "; device counters: tx " + total.txPackets()
        + " packets " + total.txBytes() + " bytes; " + queues + " queues");
    return unsent > 0 ? 3 : 0;
  }

  /** The line that says the generator runs: device, link, batch, frame size, flows. */
  private String startLine(NetworkDevice dev) {
    return "pktgen on " + dev.address() + " (" + dev.driverName() + ", " + dev.macAddress()
        + ", link " + dev.linkStatus() + "), batch " + batch + ", " + size + " B frames"
        + (flows > 1 ? ", " + flows + " flows" : "") + (light ? ", light frames" : "");
  }

  /** A pool's figures at the end of a run. */
  private static String poolLine(Mempool pool) {
    return "pool of " + pool.capacity() + " buffers: " + pool.freeCount() + " free, "
        + pool.ownedCount() + " owned, " + pool.inFlightCount() + " in flight";
  }

  private static boolean allDone(List<QueueThreads.Worker> workers) {
    for (QueueThreads.Worker w : workers) {
      if (!(w instanceof QueueSender s) || !s.done) {
        return false;
      }
    }
    return true;
  }

  /**
   * A transmit queue's thread: its generator and pool. After the last step it waits for the
   * device to complete what it accepted and leaves its figures for the main thread, which reads
   * them after joining it.
   */
  private static final class QueueSender implements QueueThreads.Worker {
    final Mempool pool;
    final PacketGenerator generator;
    final Backoff backoff;
    volatile boolean done;
    int unsent;
    String poolSummary = "";

    QueueSender(Mempool pool, PacketGenerator generator, Backoff backoff) {
      this.pool = pool;
      this.generator = generator;
      this.backoff = backoff;
    }

    @Override
    public int step() {
      if (generator.isDone()) {
        done = true;
        return 0;
      }
      return generator.step();
    }

    @Override
    public void idle(int moved) {
      if (done) {
        LockSupport.parkNanos(1_000_000L);
      } else {
        backoff.idle(moved);
      }
    }

    @Override
    public void finish() {
      unsent = generator.awaitTransmitted(1_000_000_000L);
      poolSummary = poolLine(pool);
    }
  }

  /** Checks every option before the device is opened; returns the parsed destination. */
  private MacAddress validate() {
    OptionChecks.buffers(buffers);
    OptionChecks.range("--batch", batch, 1, buffers, "--buffers");
    OptionChecks.frameSize(size);
    OptionChecks.notNegative("--count", count);
    OptionChecks.seconds("--seconds", seconds);
    OptionChecks.range("--pps", rate, 0, OptionChecks.MAX_PPS, "");
    PacketGenerator.checkFlows(flows);
    OptionChecks.range("--queues", queues, 1, Rss.MAX_QUEUES, "the most transmit queues a driver"
        + " here drives");
    try {
      return MacAddress.parse(destination);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--dst: " + e.getMessage(), e);
    }
  }
}
