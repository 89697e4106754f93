package dev.panamax.examples;

import dev.panamax.api.DeviceStats;
import dev.panamax.api.NetworkDevice;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code panamax pcap DEVICE FILE [COUNT]}: write every received packet to a pcap file. */
@Command(
    name = "pcap",
    mixinStandardHelpOptions = true,
    description = "Receive packets and write each one to FILE, a classic libpcap capture"
        + " (Ethernet, microsecond timestamps, one per received batch) that tcpdump, tshark and"
        + " Wireshark read. Prints one stats line per second and a summary. Stops after COUNT"
        + " packets, --seconds, --idle or Ctrl-C. Exit status 0, or 3 if COUNT was given and"
        + " fewer packets arrived.")
public final class PcapCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DEVICE", description = "PCI address or virtual device")
  String device = "";

  @Parameters(index = "1", paramLabel = "FILE", description = "capture file, created or overwritten")
  String file = "";

  @Parameters(index = "2", arity = "0..1", paramLabel = "COUNT",
      description = "stop after COUNT packets (same as --count)")
  @Nullable Long positionalCount;

  @Option(names = {"-n", "--count"}, description = "stop after N packets, 0 = no limit (the"
      + " default)")
  @Nullable Long count;

  @Option(names = {"-t", "--seconds"}, description = "stop after this many seconds, 0 = never"
      + " (default: ${DEFAULT-VALUE})")
  long seconds;

  @Option(names = "--idle", description = "stop after this many seconds without a packet once"
      + " packets have arrived, 0 = never (default: ${DEFAULT-VALUE})")
  long idle;

  @Mixin ReceiveOptions receive = new ReceiveOptions();

  @Override
  public Integer call() {
    final long limit = packetLimit();
    OptionChecks.seconds("--seconds", seconds);
    OptionChecks.seconds("--idle", idle);
    receive.validate();
    final Path path = capturePath();
    final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (StopSignal stop = StopSignal.install("pcap");
        NetworkDevice dev = receive.open(device);
        PcapWriter writer = PcapWriter.create(path)) {
      final PacketCapture capture = new PacketCapture(dev, writer, receive.batch, new EpochClock());
      final StatsPrinter stats = new StatsPrinter(out, List.of(dev));
      ClaimOptions.announce(out, "pcap", dev);
      out.println("pcap on " + ReceiveOptions.describe(dev) + " -> "
          + path + (limit > 0 ? ", " + limit + " packets" : ""));
      final Backoff waiter = receive.idleStrategy(dev);
      final AllocationMeter meter = new AllocationMeter();
      final long begin = System.nanoTime();
      final long deadline = seconds > 0 ? begin + seconds * 1_000_000_000L : Long.MAX_VALUE;
      long lastPacket = begin;
      long now = begin;
      while (!stop.requested() && (limit == 0 || writer.packets() < limit) && now < deadline) {
        meter.begin();
        final int n = capture.step(limit == 0 ? Long.MAX_VALUE : limit - writer.packets());
        meter.end();
        waiter.idle(n);
        stats.poll();
        now = System.nanoTime();
        if (n > 0) {
          lastPacket = now;
        } else if (idle > 0 && writer.packets() > 0 && now - lastPacket > idle * 1_000_000_000L) {
          break;
        }
      }
      writer.flush();
      final DeviceStats total = dev.stats();
      out.println("pcap summary: " + writer.packets() + " packets, " + writer.packetBytes()
          + " bytes written to " + path + " (" + writer.fileBytes() + " bytes with headers)"
          + (stop.requested() ? ", stopped by signal" : "") + "; device counters: rx "
          + total.rxPackets() + " packets " + total.rxBytes() + " bytes, " + total.rxErrors()
          + " errors");
      out.println("pcap: " + meter.perPacket(writer.packets()));
      return limit > 0 && writer.packets() < limit ? 3 : 0;
    }
  }

  /** COUNT and --count mean the same; both may be given only with one value. */
  private long packetLimit() {
    final Long positional = positionalCount;
    final Long option = count;
    if (positional != null && option != null && !positional.equals(option)) {
      throw new IllegalArgumentException("COUNT " + positional + " and --count " + option
          + " disagree; give the packet count once");
    }
    if (positional != null) {
      OptionChecks.notNegative("COUNT", positional);
    }
    if (option != null) {
      OptionChecks.notNegative("--count", option);
    }
    return positional != null ? positional : option != null ? option : 0;
  }

  /**
   * Checks FILE before the device is opened: a valid path whose directory exists and that is
   * not itself a directory. What only creating it can tell (permissions, space) is found after.
   */
  private Path capturePath() {
    final Path path;
    try {
      path = Path.of(file);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(
          "FILE " + OptionChecks.echo(file) + ": not a valid path: " + e.getReason(), e);
    }
    final Path parent = path.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new IllegalArgumentException(
          OptionChecks.echo(file) + ": create capture file: no such directory");
    }
    if (Files.isDirectory(path)) {
      throw new IllegalArgumentException(
          OptionChecks.echo(file) + ": create capture file: is a directory");
    }
    return path;
  }
}
