package dev.panamax.examples;

import dev.panamax.api.DeviceOptions;
import dev.panamax.api.MacAddress;
import dev.panamax.api.Mempool;
import dev.panamax.api.NetworkDevice;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
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
    try (StopSignal stop = StopSignal.install("pktgen");
        Arena arena = Arena.ofConfined();
        NetworkDevice dev = NetworkDevice.open(device, claim.apply(DeviceOptions.defaults()
            .withDmaSource(memory.sourceFor(device))))) {
      final Mempool pool = Mempool.create(
          arena, memory.sourceFor(device), OptionChecks.ENTRY_SIZE, buffers, "pktgen");
      final PacketGenerator gen = new PacketGenerator(dev, pool, batch, size, count, dst, rate,
          flows);
      final StatsPrinter stats = new StatsPrinter(out, List.of(dev));
      final long deadline = seconds > 0 ? System.nanoTime() + seconds * 1_000_000_000L : Long.MAX_VALUE;
      ClaimOptions.announce(out, "pktgen", dev);
      out.println("pktgen on " + dev.address() + " (" + dev.driverName() + ", " + dev.macAddress()
          + ", link " + dev.linkStatus() + "), batch " + batch + ", " + size + " B frames"
          + (flows > 1 ? ", " + flows + " flows" : ""));
      final Backoff idle = new Backoff(backoff);
      final AllocationMeter meter = new AllocationMeter();
      while (!stop.requested() && !gen.isDone() && System.nanoTime() < deadline) {
        meter.begin();
        final int sent = gen.step();
        meter.end();
        idle.idle(sent);
        stats.poll();
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
      out.println("pktgen: pool of " + pool.capacity() + " buffers: " + pool.freeCount() + " free, "
          + pool.ownedCount() + " owned, " + pool.inFlightCount() + " in flight");
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

  /** Checks every option before the device is opened; returns the parsed destination. */
  private MacAddress validate() {
    OptionChecks.buffers(buffers);
    OptionChecks.range("--batch", batch, 1, buffers, "--buffers");
    OptionChecks.frameSize(size);
    OptionChecks.notNegative("--count", count);
    OptionChecks.seconds("--seconds", seconds);
    OptionChecks.range("--pps", rate, 0, OptionChecks.MAX_PPS, "");
    PacketGenerator.checkFlows(flows);
    try {
      return MacAddress.parse(destination);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--dst: " + e.getMessage(), e);
    }
  }
}
