package dev.panamax.examples;

import dev.panamax.api.DeviceOptions;
import dev.panamax.api.DeviceStats;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.QueueStats;
import dev.panamax.api.Rss;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code panamax fwd DEV1 DEV2}: forward between two devices in both directions. */
@Command(
    name = "fwd",
    mixinStandardHelpOptions = true,
    description = "Forward packets DEV1 -> DEV2 and DEV2 -> DEV1 (IPv4 TTL decremented);"
        + " prints one stats line per device and second.")
public class FwdCommand implements Callable<Integer> {
  /** The app's name in its lines: {@code fwd}, or {@code bridge} for {@link BridgeCommand}. */
  private final String app;

  /** Whether frames pass unchanged with both devices promiscuous (a transparent bridge). */
  private final boolean bridge;

  /** Creates the forwarder; picocli fills the options from the command line. */
  public FwdCommand() {
    this("fwd", false);
  }

  /**
   * Creates the command for a subclass.
   *
   * @param app the app's name in its lines
   * @param bridge pass every frame unchanged, both devices promiscuous
   */
  protected FwdCommand(String app, boolean bridge) {
    this.app = app;
    this.bridge = bridge;
  }

  @Parameters(index = "0", paramLabel = "DEV1", description = "first device")
  String first = "";

  @Parameters(index = "1", paramLabel = "DEV2", description = "second device")
  String second = "";

  @Option(names = {"-b", "--batch"}, description = "packets per batch, 1 to 4096 (default:"
      + " ${DEFAULT-VALUE})")
  int batch = 32;

  @Option(names = {"-n", "--count"}, description = "stop after forwarding N packets, 0 = no limit")
  long count;

  @Option(names = {"-t", "--seconds"}, description = "stop after this many seconds, 0 = never")
  long seconds;

  @Option(names = "--idle", description = "stop after this many seconds without a packet once"
      + " packets have flowed, 0 = never (default: ${DEFAULT-VALUE})")
  long idleSeconds;

  @Option(names = "--backoff", description = "when idle, yield and park instead of busy polling"
      + " (for CPUs shared by several apps, e.g. in the VM)")
  boolean backoff;

  @Option(names = "--hold", description = "keep what a full transmit queue refused and send it"
      + " first next time, instead of dropping it (back-pressure)")
  boolean hold;

  @Option(names = "--memory", description = "AUTO, HUGEPAGES or VIRTUAL (default: ${DEFAULT-VALUE})")
  Memory memory = Memory.AUTO;

  @Option(names = "--queues", description = "queue pairs, one thread each: queue q of DEV1 and"
      + " DEV2 forward to each other; the NICs spread flows over their receive queues with RSS"
      + " (igb, ixgbe: 1 to 16; other devices: 1) (default: ${DEFAULT-VALUE})")
  int queues = 1;

  @Mixin ClaimOptions claim = new ClaimOptions();

  @Override
  public final Integer call() {
    validate();
    final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (StopSignal stop = StopSignal.install(app);
        NetworkDevice a = NetworkDevice.open(first, options(first));
        NetworkDevice b = NetworkDevice.open(second, options(second))) {
      if (bridge) {
        a.setPromiscuous(true);
        b.setPromiscuous(true);
      }
      if (queues > 1) {
        return forwardOnQueues(out, stop, a, b);
      }
      final Forwarder ab = new Forwarder(a, b, batch, hold, !bridge);
      final Forwarder ba = new Forwarder(b, a, batch, hold, !bridge);
      final StatsPrinter stats = new StatsPrinter(out, List.of(a, b));
      final long deadline = seconds > 0 ? System.nanoTime() + seconds * 1_000_000_000L : Long.MAX_VALUE;
      final long limit = count > 0 ? count : Long.MAX_VALUE;
      final long start = System.nanoTime();
      ClaimOptions.announce(out, app, a);
      ClaimOptions.announce(out, app, b);
      out.println(app + " " + a.address() + " <-> " + b.address() + ", batch " + batch
          + (bridge ? ", frames unchanged, promiscuous " + a.isPromiscuous() + "/"
              + b.isPromiscuous() : ""));
      boolean movedSinceCheck = false;
      long lastTraffic = System.nanoTime();
      boolean sawTraffic = false;
      final Backoff idle = new Backoff(backoff);
      final AllocationMeter meter = new AllocationMeter();
      while (!stop.requested() && ab.forwarded() + ba.forwarded() < limit) {
        // The clock and the allocation meter are read once per CLOCK_STEPS rounds (or after a
        // round that waited, with --backoff): off the per-packet cost.
        meter.begin();
        for (int k = 0; k < PktgenCommand.CLOCK_STEPS; k++) {
          final int moved = ab.step() + ba.step();
          idle.idle(moved);
          if (moved > 0) {
            sawTraffic = true;
            movedSinceCheck = true;
          } else if (idle.waits()) {
            break;
          }
          if (stop.requested() || ab.forwarded() + ba.forwarded() >= limit) {
            break;
          }
        }
        meter.end();
        final long now = System.nanoTime();
        stats.poll(now);
        if (now >= deadline) {
          break;
        }
        if (movedSinceCheck) {
          lastTraffic = now;
          movedSinceCheck = false;
        } else if (sawTraffic && idleSeconds > 0 && now - lastTraffic > idleSeconds * 1_000_000_000L) {
          break;
        }
      }
      ab.discardHeld();
      ba.discardHeld();
      final double secs = (System.nanoTime() - start) / 1e9;
      final long total = ab.forwarded() + ba.forwarded();
      out.printf("%s: forwarded %d packets in %.2f s (%s), dropped %d%s%n",
          app, total, secs, DeviceStats.formatPacketRate(total / secs), ab.dropped() + ba.dropped(),
          stop.requested() ? ", stopped by signal" : "");
      out.println(app + ": " + a.address() + " -> " + b.address() + " " + ab.forwarded() + ", "
          + b.address() + " -> " + a.address() + " " + ba.forwarded());
      out.println(app + ": " + meter.perPacket(total));
      printDeviceCounters(out, a, b);
    }
    return 0;
  }

  /**
   * {@code --queues N}: thread {@code q} forwards between queue {@code q} of both devices, both
   * ways; this thread prints the stats and decides when to stop (from the devices' receive
   * counters, which any thread may read).
   */
  private int forwardOnQueues(PrintStream out, StopSignal stop, NetworkDevice a, NetworkDevice b) {
    final StatsPrinter stats = new StatsPrinter(out, List.of(a, b));
    ClaimOptions.announce(out, app, a);
    ClaimOptions.announce(out, app, b);
    out.println(app + " " + a.address() + " <-> " + b.address() + ", batch " + batch + ", " + queues
        + " queues");
    final long start = System.nanoTime();
    final long deadline = seconds > 0 ? start + seconds * 1_000_000_000L : Long.MAX_VALUE;
    final long limit = count > 0 ? count : Long.MAX_VALUE;
    final List<QueueThreads.Worker> workers;
    try (QueueThreads threads = QueueThreads.start(app, queues,
        q -> new QueuePair(new Forwarder(a, b, q, batch, hold, !bridge),
            new Forwarder(b, a, q, batch, hold, !bridge),
            new Backoff(backoff)))) {
      long received = 0;
      long lastTraffic = start;
      while (!stop.requested() && !threads.failed()) {
        final long now = System.nanoTime();
        final long r = a.stats().rxPackets() + b.stats().rxPackets();
        if (r != received) {
          received = r;
          lastTraffic = now;
        }
        if (r >= limit || now >= deadline
            || (received > 0 && idleSeconds > 0 && now - lastTraffic > idleSeconds * 1_000_000_000L)) {
          break;
        }
        stats.poll();
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      threads.stop();
      workers = threads.workers();
    }
    final double secs = (System.nanoTime() - start) / 1e9;
    long total = 0;
    long dropped = 0;
    for (int q = 0; q < queues; q++) {
      final QueuePair pair = (QueuePair) workers.get(q);
      pair.ab().discardHeld();
      pair.ba().discardHeld();
      final long forwarded = pair.ab().forwarded() + pair.ba().forwarded();
      total += forwarded;
      dropped += pair.ab().dropped() + pair.ba().dropped();
      final QueueStats qa = a.queueStats(q);
      final QueueStats qb = b.queueStats(q);
      out.println(app + " queue " + q + ": forwarded " + forwarded + "; " + a.address() + " rx "
          + qa.rxPackets() + " tx " + qa.txPackets() + ", " + b.address() + " rx " + qb.rxPackets()
          + " tx " + qb.txPackets());
    }
    out.printf("%s: forwarded %d packets in %.2f s (%s), dropped %d, %d queues%s%n",
        app, total, secs, DeviceStats.formatPacketRate(total / secs), dropped, queues,
        stop.requested() ? ", stopped by signal" : "");
    printDeviceCounters(out, a, b);
    return 0;
  }

  private void printDeviceCounters(PrintStream out, NetworkDevice a, NetworkDevice b) {
    for (NetworkDevice d : List.of(a, b)) {
      final DeviceStats c = d.stats();
      out.println(app + ": device counters of " + d.address() + ": rx " + c.rxPackets() + " packets, "
          + c.rxDropped() + " dropped, " + c.rxErrors() + " errors; tx " + c.txPackets()
          + " packets");
    }
  }

  /** A queue's thread: both directions on one queue number. */
  private record QueuePair(Forwarder ab, Forwarder ba, Backoff idle) implements QueueThreads.Worker {
    @Override
    public int step() {
      return ab.step() + ba.step();
    }

    @Override
    public void idle(int moved) {
      idle.idle(moved);
    }
  }

  /** Checks every option before a device is opened. */
  private void validate() {
    OptionChecks.distinctDevices("DEV1", first, "DEV2", second);
    OptionChecks.rxBatch(batch);
    OptionChecks.notNegative("--count", count);
    OptionChecks.seconds("--seconds", seconds);
    OptionChecks.seconds("--idle", idleSeconds);
    OptionChecks.range("--queues", queues, 1, Rss.MAX_QUEUES, "the most RSS spreads over");
  }

  private DeviceOptions options(String spec) {
    return claim.apply(DeviceOptions.defaults().withDmaSource(memory.sourceFor(spec))
        .withQueues(queues, queues));
  }
}
