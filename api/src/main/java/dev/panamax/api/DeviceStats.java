package dev.panamax.api;

import java.util.Locale;

/**
 * Device counters at one instant, or the difference between two snapshots.
 *
 * @param device the device address
 * @param rxPackets packets received
 * @param rxBytes bytes received (frames without FCS)
 * @param txPackets packets transmitted
 * @param txBytes bytes transmitted (frames without FCS)
 * @param rxErrors receive errors reported by the device
 * @param txErrors transmit errors reported by the device
 * @param rxDropped frames the device dropped for lack of receive buffers
 * @param txDropped frames dropped on transmit
 * @param nanos for a snapshot, {@link System#nanoTime()} when read; for a delta, elapsed ns
 */
public record DeviceStats(
    String device,
    long rxPackets,
    long rxBytes,
    long txPackets,
    long txBytes,
    long rxErrors,
    long txErrors,
    long rxDropped,
    long txDropped,
    long nanos) {

  /** Bytes of preamble, start delimiter, inter-frame gap and FCS counted per frame on the wire. */
  public static final int WIRE_OVERHEAD_BYTES = 24;

  /**
   * Returns this snapshot minus an earlier one; {@link #nanos()} of the result is elapsed time.
   *
   * @param earlier a snapshot of the same device taken before this one
   * @return the difference
   * @throws IllegalArgumentException if the snapshots are of different devices
   */
  public DeviceStats delta(DeviceStats earlier) {
    if (!device.equals(earlier.device)) {
      throw new IllegalArgumentException("DeviceStats.delta: snapshot of " + Texts.echo(earlier.device)
          + " subtracted from one of " + Texts.echo(device) + ": give two snapshots of the same device");
    }
    return new DeviceStats(
        device,
        rxPackets - earlier.rxPackets,
        rxBytes - earlier.rxBytes,
        txPackets - earlier.txPackets,
        txBytes - earlier.txBytes,
        rxErrors - earlier.rxErrors,
        txErrors - earlier.txErrors,
        rxDropped - earlier.rxDropped,
        txDropped - earlier.txDropped,
        nanos - earlier.nanos);
  }

  /**
   * Receive rate of a delta in million packets per second.
   *
   * @return Mpps, 0 if no time elapsed
   */
  public double rxMpps() {
    return nanos <= 0 ? 0 : rxPackets * 1e3 / nanos;
  }

  /**
   * Transmit rate of a delta in million packets per second.
   *
   * @return Mpps, 0 if no time elapsed
   */
  public double txMpps() {
    return nanos <= 0 ? 0 : txPackets * 1e3 / nanos;
  }

  /**
   * Receive rate of a delta in Mbit/s on the wire (frame bytes plus {@value
   * #WIRE_OVERHEAD_BYTES} bytes of framing overhead per packet).
   *
   * @return Mbit/s, 0 if no time elapsed
   */
  public double rxMbps() {
    return nanos <= 0 ? 0 : (rxBytes + WIRE_OVERHEAD_BYTES * rxPackets) * 8e3 / nanos;
  }

  /**
   * Transmit rate of a delta in Mbit/s on the wire (frame bytes plus {@value
   * #WIRE_OVERHEAD_BYTES} bytes of framing overhead per packet).
   *
   * @return Mbit/s, 0 if no time elapsed
   */
  public double txMbps() {
    return nanos <= 0 ? 0 : (txBytes + WIRE_OVERHEAD_BYTES * txPackets) * 8e3 / nanos;
  }

  /**
   * Formats a delta as one line of rates, in the style of ixy's stats output, each rate in the
   * unit that shows it ({@link #formatPacketRate}, {@link #formatBitRate}).
   *
   * @return e.g. {@code "pair:a:0 RX 1.23 Mpps 826 Mbit/s | TX 2.00 kpps 1.34 Mbit/s"}
   */
  public String formatRates() {
    return device + " RX " + formatPacketRate(rxMpps() * 1e6) + " " + formatBitRate(rxMbps() * 1e6)
        + " | TX " + formatPacketRate(txMpps() * 1e6) + " " + formatBitRate(txMbps() * 1e6);
  }

  /**
   * Formats a packet rate in pps, kpps or Mpps, chosen by magnitude, with three significant
   * digits: {@code "0 pps"}, {@code "999 pps"}, {@code "2.00 kpps"}, {@code "312 kpps"},
   * {@code "11.4 Mpps"}.
   *
   * @param packetsPerSecond the rate
   * @return the rate with its unit
   */
  public static String formatPacketRate(double packetsPerSecond) {
    return scaled(packetsPerSecond, "pps", "kpps", "Mpps", "Gpps");
  }

  /**
   * Formats a bit rate in bit/s, kbit/s, Mbit/s or Gbit/s, chosen by magnitude, with three
   * significant digits: {@code "0 bit/s"}, {@code "1.34 Mbit/s"}, {@code "7.63 Gbit/s"}.
   *
   * @param bitsPerSecond the rate
   * @return the rate with its unit
   */
  public static String formatBitRate(double bitsPerSecond) {
    return scaled(bitsPerSecond, "bit/s", "kbit/s", "Mbit/s", "Gbit/s");
  }

  private static String scaled(double value, String one, String kilo, String mega, String giga) {
    final double v = Math.max(0, value);
    if (v < 999.5) {
      return String.format(Locale.ROOT, "%.0f %s", v, one);
    }
    final double k = v / 1e3;
    final double m = v / 1e6;
    final double g = v / 1e9;
    if (k < 999.5) {
      return threeDigits(k, kilo);
    }
    return m < 999.5 ? threeDigits(m, mega) : threeDigits(g, giga);
  }

  private static String threeDigits(double v, String unit) {
    final String pattern = v < 9.995 ? "%.2f %s" : v < 99.95 ? "%.1f %s" : "%.0f %s";
    return String.format(Locale.ROOT, pattern, v, unit);
  }
}
