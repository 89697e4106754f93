package dev.panamax.api;

/**
 * Link state of a device.
 *
 * @param up whether the link is up
 * @param speedMbps link speed in Mbit/s, 0 when down or unknown
 */
public record LinkStatus(boolean up, long speedMbps) {

  /** A link that is down. */
  public static final LinkStatus DOWN = new LinkStatus(false, 0);

  @Override
  public String toString() {
    return up ? "up " + speedMbps + " Mbit/s" : "down";
  }
}
