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
   * Formats a delta as one line of rates, in the style of ixy's stats output.
   *
   * @return e.g. {@code "pair:a:0 RX 1.23 Mpps 826 Mbit/s | TX 1.23 Mpps 826 Mbit/s"}
   */
  public String formatRates() {
    return String.format(
        Locale.ROOT,
        "%s RX %.2f Mpps %.0f Mbit/s | TX %.2f Mpps %.0f Mbit/s",
        device,
        rxMpps(),
        rxMbps(),
        txMpps(),
        txMbps());
  }
}
