package dev.panamax.examples;

import dev.panamax.api.DeviceOptions;
import dev.panamax.api.DeviceStats;
import dev.panamax.api.NetworkDevice;
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
      long iterations = 0;
      boolean movedSinceCheck = false;
      long lastTraffic = System.nanoTime();
      boolean sawTraffic = false;
      final Backoff idle = new Backoff(backoff);
      final AllocationMeter meter = new AllocationMeter();
      while (!stop.requested() && ab.forwarded() + ba.forwarded() < limit) {
        meter.begin();
        final int moved = ab.step() + ba.step();
        meter.end();
        idle.idle(moved);
        if (moved > 0) {
          sawTraffic = true;
          movedSinceCheck = true;
        }
        // Reading the clock every 64 rounds keeps it off the per-packet cost.
        if ((++iterations & 63) == 0) {
          stats.poll();
          final long now = System.nanoTime();
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
      for (NetworkDevice d : List.of(a, b)) {
        final DeviceStats c = d.stats();
        out.println(app + ": device counters of " + d.address() + ": rx " + c.rxPackets() + " packets, "
            + c.rxDropped() + " dropped, " + c.rxErrors() + " errors; tx " + c.txPackets()
            + " packets");
      }
    }
    return 0;
  }

  /** Checks every option before a device is opened. */
  private void validate() {
    OptionChecks.distinctDevices("DEV1", first, "DEV2", second);
    OptionChecks.rxBatch(batch);
    OptionChecks.notNegative("--count", count);
    OptionChecks.seconds("--seconds", seconds);
    OptionChecks.seconds("--idle", idleSeconds);
  }

  private DeviceOptions options(String spec) {
    return claim.apply(DeviceOptions.defaults().withDmaSource(memory.sourceFor(spec)));
  }
}
