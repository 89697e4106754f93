package dev.panamax.examples;

import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.NetworkDevice;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code panamax demo}: pktgen → fwd → verifying receiver over two in-memory links, with live
 * stats and a summary that checks nothing was lost or corrupted.
 *
 * <pre>
 * pktgen --tx--> pair:demo-in:0 ==> pair:demo-in:1 --rx--> fwd --tx--> pair:demo-out:0
 *        ==> pair:demo-out:1 --rx--> verifier
 * </pre>
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Generate, forward and verify traffic through in-memory devices, with live"
        + " per-second stats and a summary.")
public final class DemoCommand implements Callable<Integer> {
  /** Buffers in the generator's pool. */
  static final int POOL_SIZE = 4096;

  @Option(names = {"-t", "--seconds"}, description = "how long to run, at least 1 (default:"
      + " ${DEFAULT-VALUE})")
  long seconds = 10;

  @Option(names = {"-b", "--batch"}, description = "packets per batch, 1 to 4096 (default:"
      + " ${DEFAULT-VALUE})")
  int batch = 32;

  @Option(names = {"-s", "--size"}, description = "frame size without FCS, 60 to 1984 (default:"
      + " ${DEFAULT-VALUE})")
  int size = 60;

  @Override
  public Integer call() {
    OptionChecks.range("--seconds", seconds, 1, OptionChecks.MAX_SECONDS, "about 31 years");
    OptionChecks.range("--batch", batch, 1, POOL_SIZE, "the demo's pool");
    OptionChecks.frameSize(size);
    final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (Arena arena = Arena.ofConfined();
        NetworkDevice genTx = NetworkDevice.open("pair:demo-in:0");
        NetworkDevice fwdRx = NetworkDevice.open("pair:demo-in:1");
        NetworkDevice fwdTx = NetworkDevice.open("pair:demo-out:0");
        NetworkDevice sink = NetworkDevice.open("pair:demo-out:1")) {
      final Mempool pool = Mempool.create(
          arena, DmaSource.virtualMemory(), OptionChecks.ENTRY_SIZE, POOL_SIZE, "demo");
      final PacketGenerator gen = new PacketGenerator(genTx, pool, batch, size, 0);
      final Forwarder fwd = new Forwarder(fwdRx, fwdTx, batch);
      final Verifier verifier = new Verifier(sink, batch);
      final StatsPrinter stats = new StatsPrinter(out, List.of(genTx, fwdTx, sink));
      out.println("demo: pktgen -> " + genTx.address() + " => " + fwdRx.address() + " -> fwd -> "
          + fwdTx.address() + " => " + sink.address() + " -> verifier, batch " + batch + ", "
          + size + " B frames, " + seconds + " s");
      final long deadline = System.nanoTime() + seconds * 1_000_000_000L;
      long rounds = 0;
      while (true) {
        gen.step();
        fwd.step();
        verifier.step();
        if ((++rounds & 63) == 0) {
          stats.poll();
          if (System.nanoTime() >= deadline) {
            break;
          }
        }
      }
      gen.close();
      // Drain: everything sent must come out at the far end.
      while (fwd.step() + verifier.step() > 0) {
        // keep moving until both links are empty
      }
      final boolean ok = verifier.valid() == gen.sent() && verifier.corrupt() == 0
          && verifier.reordered() == 0 && verifier.gaps() == 0 && fwd.dropped() == 0
          && pool.freeCount() == pool.capacity();
      out.println(String.format(Locale.ROOT,
          "demo summary: generated %d, forwarded %d, verified %d, corrupt %d, reordered %d,"
              + " lost %d, fwd drops %d; pool %d/%d free -> %s",
          gen.sent(), fwd.forwarded(), verifier.valid(), verifier.corrupt(), verifier.reordered(),
          gen.sent() - verifier.valid(), fwd.dropped(), pool.freeCount(), pool.capacity(),
          ok ? "OK" : "FAILED"));
      return ok ? 0 : 2;
    }
  }
}
