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

  /**
   * Describes the link for people.
   *
   * @return {@code "up 1000 Mbit/s"}, {@code "up"} when the speed is unknown (virtio, in-memory
   *     devices), or {@code "down"}
   */
  @Override
  public String toString() {
    return !up ? "down" : speedMbps > 0 ? "up " + speedMbps + " Mbit/s" : "up";
  }
}
