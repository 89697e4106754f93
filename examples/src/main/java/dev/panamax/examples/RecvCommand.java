package dev.panamax.examples;

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

  @Mixin ReceiveOptions receive = new ReceiveOptions();

  @Override
  public Integer call() {
    validate();
    final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (StopSignal stop = StopSignal.install("recv");
        NetworkDevice dev = receive.open(device)) {
      final Verifier verifier = new Verifier(dev, receive.batch, count);
      final StatsPrinter stats = new StatsPrinter(out, List.of(dev));
      ClaimOptions.announce(out, "recv", dev);
      out.println("recv on " + ReceiveOptions.describe(dev));
      final Backoff waiter = receive.idleStrategy(dev);
      final AllocationMeter meter = new AllocationMeter();
      final long begin = System.nanoTime();
      final long deadline = begin + seconds * 1_000_000_000L;
      long lastFrame = begin;
      long now = begin;
      while (!stop.requested() && (count == 0 || verifier.valid() + verifier.corrupt() < count)
          && now < deadline) {
        // With --count, stop as soon as every expected frame has arrived once.
        meter.begin();
        final int received = verifier.step();
        meter.end();
        if (received > 0) {
          lastFrame = now;
        }
        waiter.idle(received);
        stats.poll();
        now = System.nanoTime();
        if (idle > 0 && verifier.valid() > 0 && now - lastFrame > idle * 1_000_000_000L) {
          break;
        }
      }
      final DeviceStats total = dev.stats();
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

  /** Checks every option before the device is opened. */
  private void validate() {
    OptionChecks.range("--count", count, 0, OptionChecks.MAX_EXPECTED,
        "one bit of memory per expected frame");
    OptionChecks.range("--seconds", seconds, 1, OptionChecks.MAX_SECONDS, "about 31 years");
    OptionChecks.seconds("--idle", idle);
    receive.validate();
  }
}
