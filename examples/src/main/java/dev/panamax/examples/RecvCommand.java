package dev.panamax.examples;

import dev.panamax.api.DeviceStats;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.QueueStats;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code panamax recv DEVICE}: receive and verify pktgen's test frames. */
@Command(
    name = "recv",
    mixinStandardHelpOptions = true,
    description = "Receive pktgen's test frames, verify each checksum and sequence number, print"
        + " one stats line per second and a summary. Exit status 0 only if --count valid frames"
        + " arrived with none corrupt.")
public final class RecvCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DEVICE", description = "PCI address or virtual device")
  String device = "";

  @Option(names = {"-n", "--count"}, description = "stop after N valid frames, up to 2^30;"
      + " 0 = until --seconds")
  long count;

  @Option(names = {"-t", "--seconds"}, description = "give up after this many seconds, at least 1"
      + " (default: ${DEFAULT-VALUE})")
  long seconds = 60;

  @Option(names = "--idle", description = "stop after this many seconds without a frame once"
      + " frames have arrived, 0 = never (default: ${DEFAULT-VALUE})")
  long idle = 0;

  @Option(names = "--light", description = "count and free the frames without verifying them"
      + " (any frames, not only pktgen's; the per-frame work of DPDK testpmd's rxonly, for"
      + " measuring the receive path); exit status 0 once --count frames arrived, or at"
      + " --seconds without --count")
  boolean light;

  @Mixin ReceiveOptions receive = new ReceiveOptions();

  @Override
  public Integer call() {
    validate();
    final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (StopSignal stop = StopSignal.install("recv");
        NetworkDevice dev = receive.open(device)) {
      if (receive.queues > 1) {
        return receiveOnQueues(out, stop, dev);
      }
      final Verifier verifier = new Verifier(dev, 0, receive.batch, light ? 0 : count, false, light);
      final StatsPrinter stats = new StatsPrinter(out, List.of(dev));
      ClaimOptions.announce(out, "recv", dev);
      out.println("recv on " + ReceiveOptions.describe(dev) + (light ? ", light: frames counted,"
          + " not verified" : ""));
      final Backoff waiter = receive.idleStrategy(dev);
      final AllocationMeter meter = new AllocationMeter();
      final long begin = System.nanoTime();
      final long deadline = begin + seconds * 1_000_000_000L;
      long lastFrame = begin;
      long now = begin;
      while (!stop.requested() && (count == 0 || verifier.received() < count) && now < deadline) {
        // With --count, stop as soon as every expected frame has arrived once. The clock and
        // the allocation meter are read once per CLOCK_STEPS polls, or after a poll that waited
        // (--backoff, --interrupts).
        meter.begin();
        boolean received = false;
        for (int k = 0; k < PktgenCommand.CLOCK_STEPS; k++) {
          final int n = verifier.step();
          waiter.idle(n);
          if (n > 0) {
            received = true;
          } else if (waiter.waits()) {
            break;
          }
          if (stop.requested() || (count > 0 && verifier.received() >= count)) {
            break;
          }
        }
        meter.end();
        now = System.nanoTime();
        stats.poll(now);
        if (received) {
          lastFrame = now;
        }
        if (idle > 0 && verifier.valid() > 0 && now - lastFrame > idle * 1_000_000_000L) {
          break;
        }
      }
      final DeviceStats total = dev.stats();
      if (light) {
        final int status = lightSummary(out, verifier.unverified(), now - begin, "", stop, total);
        out.println("recv: " + meter.perPacket(verifier.unverified()));
        return status;
      }
      out.println("recv summary: valid " + verifier.valid() + ", corrupt " + verifier.corrupt()
          + (count > 0 ? ", distinct " + verifier.distinct() + " of " + count + ", duplicates "
              + verifier.duplicates() + ", out of range " + verifier.outOfRange() + ", lost "
              + (count - verifier.distinct()) : "")
          + ", reordered " + verifier.reordered() + ", gaps " + verifier.gaps()
          + ", next expected " + verifier.nextExpected()
          + (stop.requested() ? ", stopped by signal" : "") + "; device counters: rx "
          + total.rxPackets() + " packets " + total.rxBytes() + " bytes, " + total.rxErrors()
          + " errors, " + total.rxDropped() + " dropped");
      out.println("recv: " + meter.perPacket(verifier.valid() + verifier.corrupt()));
      final boolean ok = verifier.corrupt() == 0
          && (count == 0 || (verifier.distinct() == count && verifier.duplicates() == 0
              && verifier.outOfRange() == 0));
      return ok ? 0 : 3;
    }
  }

  /**
   * {@code --queues N}: a thread and a verifier per receive queue; this thread prints the stats
   * and stops them. The summary merges the verifiers (a sequence number that arrived on two
   * queues counts as a duplicate) and lists, per queue, the frames of each flow (UDP source
   * port) it received.
   */
  private int receiveOnQueues(PrintStream out, StopSignal stop, NetworkDevice dev) {
    final int queues = dev.rxQueueCount();
    final StatsPrinter stats = new StatsPrinter(out, List.of(dev));
    ClaimOptions.announce(out, "recv", dev);
    out.println("recv on " + ReceiveOptions.describe(dev) + ", " + queues + " queues"
        + (light ? ", light: frames counted, not verified" : ""));
    final long begin = System.nanoTime();
    final long deadline = begin + seconds * 1_000_000_000L;
    final List<Verifier> verifiers;
    try (QueueThreads threads = QueueThreads.start("recv", queues, q -> {
      return new VerifierWorker(new Verifier(dev, q, receive.batch, light ? 0 : count, !light, light),
          receive.idleStrategy(dev, q));
    })) {
      long checkedBefore = 0;
      long lastFrame = begin;
      while (!stop.requested() && !threads.failed()) {
        final long now = System.nanoTime();
        long checked = 0;
        for (QueueThreads.Worker w : threads.workers()) {
          checked += w == null ? 0 : unwrap(w).checked();
        }
        if (checked != checkedBefore) {
          lastFrame = now;
          checkedBefore = checked;
        }
        if ((count > 0 && checked >= count) || now >= deadline
            || (idle > 0 && checked > 0 && now - lastFrame > idle * 1_000_000_000L)) {
          break;
        }
        stats.poll();
        sleepMillis(10);
      }
      threads.stop();
      verifiers = new ArrayList<>();
      for (QueueThreads.Worker w : threads.workers()) {
        verifiers.add(unwrap(w));
      }
    }
    final BitSet union = new BitSet();
    long valid = 0;
    long corrupt = 0;
    long duplicates = 0;
    long outOfRange = 0;
    long reordered = 0;
    long seenPerQueue = 0;
    for (int q = 0; q < queues; q++) {
      final Verifier v = verifiers.get(q);
      valid += v.valid();
      corrupt += v.corrupt();
      duplicates += v.duplicates();
      outOfRange += v.outOfRange();
      reordered += v.reordered();
      final BitSet seen = v.seen();
      seenPerQueue += seen.cardinality();
      union.or(seen);
      final StringBuilder flows = new StringBuilder();
      for (int port = 0; port < 65536; port++) {
        final long frames = v.framesFromPort(port);
        if (frames > 0) {
          flows.append(flows.isEmpty() ? "" : " ").append(port).append(':').append(frames);
        }
      }
      final QueueStats qs = dev.queueStats(q);
      out.println("recv queue " + q + ": valid " + v.valid() + ", corrupt " + v.corrupt()
          + ", device rx " + qs.rxPackets() + " packets; flows (UDP source port:frames) "
          + (flows.isEmpty() ? "none" : flows));
    }
    if (light) {
      long received = 0;
      for (Verifier v : verifiers) {
        received += v.unverified();
      }
      return lightSummary(out, received, System.nanoTime() - begin, ", queues " + queues, stop,
          dev.stats());
    }
    // A sequence number seen on two queues is one frame too many.
    duplicates += seenPerQueue - union.cardinality();
    final long distinct = union.cardinality();
    final DeviceStats total = dev.stats();
    out.println("recv summary: valid " + valid + ", corrupt " + corrupt
        + (count > 0 ? ", distinct " + distinct + " of " + count + ", duplicates " + duplicates
            + ", out of range " + outOfRange + ", lost " + (count - distinct) : "")
        + ", reordered " + reordered + ", queues " + queues
        + (stop.requested() ? ", stopped by signal" : "") + "; device counters: rx "
        + total.rxPackets() + " packets " + total.rxBytes() + " bytes, " + total.rxErrors()
        + " errors, " + total.rxDropped() + " dropped");
    final boolean ok = corrupt == 0
        && (count == 0 || (distinct == count && duplicates == 0 && outOfRange == 0));
    return ok ? 0 : 3;
  }

  /**
   * Prints {@code --light}'s summary: frames counted, their rate, the device's counters.
   *
   * @return the exit status: 0 once --count frames arrived (or without --count), else 3
   */
  private int lightSummary(PrintStream out, long received, long nanos, String queues,
      StopSignal stop, DeviceStats total) {
    final double secs = nanos / 1e9;
    out.printf("recv summary: received %d frames in %.2f s (%s), not verified (--light)%s%s;"
        + " device counters: rx %d packets %d bytes, %d errors, %d dropped%n",
        received, secs, DeviceStats.formatPacketRate(received / secs), queues,
        stop.requested() ? ", stopped by signal" : "", total.rxPackets(), total.rxBytes(),
        total.rxErrors(), total.rxDropped());
    return count == 0 || received >= count ? 0 : 3;
  }

  private static Verifier unwrap(QueueThreads.Worker worker) {
    return ((VerifierWorker) worker).verifier();
  }

  /** A queue's thread: verify a batch, then wait as the idle strategy says. */
  private record VerifierWorker(Verifier verifier, Backoff waiter) implements QueueThreads.Worker {
    @Override
    public int step() {
      return verifier.step();
    }

    @Override
    public void idle(int moved) {
      waiter.idle(moved);
    }
  }

  private static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Checks every option before the device is opened. */
  private void validate() {
    OptionChecks.range("--count", count, 0, OptionChecks.MAX_EXPECTED,
        "one bit of memory per expected frame");
    OptionChecks.range("--seconds", seconds, 1, OptionChecks.MAX_SECONDS, "about 31 years");
    OptionChecks.seconds("--idle", idle);
    receive.validate();
  }
}
