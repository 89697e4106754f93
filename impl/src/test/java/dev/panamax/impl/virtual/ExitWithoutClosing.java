package dev.panamax.impl.virtual;

import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.PacketBatch;
import java.lang.foreign.Arena;

/**
 * A program that opens in-memory devices and a pool, leaves packets in flight and owned, and
 * ends without closing anything: by returning from main ({@code return}) or by {@code
 * System.exit(7)} ({@code exit}). Started by {@link ProcessExitTest} in a JVM of its own.
 */
public final class ExitWithoutClosing {
  private ExitWithoutClosing() {}

  /**
   * Runs the program.
   *
   * @param args {@code return} or {@code exit}
   */
  public static void main(String[] args) {
    final Arena arena = Arena.ofConfined();
    final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 64, "exit");
    final NetworkDevice a = NetworkDevice.open("pair:exit:0");
    final NetworkDevice b = NetworkDevice.open("pair:exit:1");
    final NetworkDevice sink = NetworkDevice.open("null:exit");
    final PacketBatch batch = new PacketBatch(16);
    pool.allocBatch(batch, 16, 100);
    final int sent = a.txBatch(0, batch);
    pool.allocBatch(batch, 3, 100);
    final PacketBatch received = new PacketBatch(8);
    sink.rxBatch(0, received, 8);
    System.out.println("in flight " + pool.inFlightCount() + " (sent " + sent + "), owned "
        + pool.ownedCount() + ", received " + received.size() + ", link up "
        + b.linkStatus().up());
    if (args.length > 0 && args[0].equals("exit")) {
      System.exit(7);
    }
  }
}
