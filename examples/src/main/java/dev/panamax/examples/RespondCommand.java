package dev.panamax.examples;

import dev.panamax.api.DeviceStats;
import dev.panamax.api.NetworkDevice;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code panamax respond DEVICE IP}: answer ARP and ICMP echo requests for an address. */
@Command(
    name = "respond",
    mixinStandardHelpOptions = true,
    description = "Answer ARP requests for IP and ICMP echo requests (ping) to IP, from the"
        + " device's MAC address; free every other frame. Prints the counters each second they"
        + " change and a summary. Runs until --count replies, --seconds or Ctrl-C. Exit status 0,"
        + " or 3 if --count was given and fewer replies were sent.")
public final class RespondCommand implements Callable<Integer> {
  private static final long SECOND = 1_000_000_000L;

  @Parameters(index = "0", paramLabel = "DEVICE", description = "PCI address or virtual device")
  String device = "";

  @Parameters(index = "1", paramLabel = "IP", description = "IPv4 address to answer for, e.g."
      + " 10.11.0.2")
  String ip = "";

  @Option(names = {"-n", "--count"}, description = "stop after N replies (ARP and echo), 0 = no"
      + " limit")
  long count;

  @Option(names = {"-t", "--seconds"}, description = "stop after this many seconds, 0 = never")
  long seconds;

  @Mixin ReceiveOptions receive = new ReceiveOptions();

  @Override
  public Integer call() {
    final int address = Ipv4.parse(ip);
    OptionChecks.notNegative("--count", count);
    OptionChecks.seconds("--seconds", seconds);
    receive.validate();
    final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (StopSignal stop = StopSignal.install("respond");
        NetworkDevice dev = receive.open(device)) {
      final Responder responder = new Responder(dev, address, receive.batch);
      ClaimOptions.announce(out, "respond", dev);
      out.println("respond on " + ReceiveOptions.describe(dev) + " as "
          + Ipv4.format(address));
      final Backoff waiter = receive.idleStrategy(dev);
      final AllocationMeter meter = new AllocationMeter();
      final long begin = System.nanoTime();
      final long deadline = seconds > 0 ? begin + seconds * SECOND : Long.MAX_VALUE;
      long nextPrint = begin + SECOND;
      long printed = 0;
      long now = begin;
      while (!stop.requested() && (count == 0 || replies(responder) < count) && now < deadline) {
        meter.begin();
        final int n = responder.step();
        meter.end();
        waiter.idle(n);
        now = System.nanoTime();
        if (now >= nextPrint) {
          nextPrint = now + SECOND;
          final long seen = replies(responder) + responder.ignored() + responder.txDropped();
          if (seen != printed) {
            printed = seen;
            out.println("respond: " + counters(responder));
          }
        }
      }
      final DeviceStats total = dev.stats();
      out.println("respond summary: " + counters(responder)
          + (stop.requested() ? ", stopped by signal" : "") + "; device counters: rx "
          + total.rxPackets() + " packets, tx " + total.txPackets() + " packets");
      out.println("respond: " + meter.perPacket(total.rxPackets()));
      return count > 0 && replies(responder) < count ? 3 : 0;
    }
  }

  private static long replies(Responder responder) {
    return responder.arpReplies() + responder.echoReplies();
  }

  private static String counters(Responder responder) {
    return "arp replies " + responder.arpReplies() + ", echo replies " + responder.echoReplies()
        + ", ignored " + responder.ignored() + ", tx dropped " + responder.txDropped();
  }
}
