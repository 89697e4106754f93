package example;

import dev.panamax.api.DeviceStats;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.PacketBatch;

/** Forwards packets from one device to another and prints what both counted. */
public final class Forward {
  private Forward() {}

  /**
   * Runs the forwarder.
   *
   * @param args source device, destination device, packet count (defaults: null:in null:out 100000)
   */
  public static void main(String[] args) {
    final String from = args.length > 0 ? args[0] : "null:in";
    final String to = args.length > 1 ? args[1] : "null:out";
    final long count = args.length > 2 ? Long.parseLong(args[2]) : 100_000;
    try (NetworkDevice in = NetworkDevice.open(from);
        NetworkDevice out = NetworkDevice.open(to)) {
      final PacketBatch batch = new PacketBatch(32);
      long forwarded = 0;
      while (forwarded < count) {
        in.rxBatch(0, batch, (int) Math.min(batch.remaining(), count - forwarded));
        forwarded += out.txBatch(0, batch);
      }
      batch.freeAll();
      final DeviceStats rx = in.stats();
      final DeviceStats tx = out.stats();
      System.out.println("forwarded " + forwarded + " packets: " + from + " received "
          + rx.rxPackets() + ", " + to + " sent " + tx.txPackets());
    }
  }
}
