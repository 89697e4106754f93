package dev.panamax.impl.observe;

/**
 * The management view of one open device, registered in the platform MBean server as {@code
 * dev.panamax:type=NetworkDevice,name="<address>"} from open until close. Counters are totals
 * since open, read as {@link dev.panamax.api.NetworkDevice#monitorStats()} reads them; ring and
 * mempool figures are summed over the device's queues and their distinct receive pools.
 */
public interface NetworkDeviceMXBean {
  /**
   * Returns the device address.
   *
   * @return e.g. {@code 0000:01:00.0} or {@code null:a}
   */
  String getAddress();

  /**
   * Returns the driver name.
   *
   * @return e.g. {@code virtio}, {@code igb}, {@code null}
   */
  String getDriver();

  /**
   * Returns how the device reaches memory.
   *
   * @return the DMA description of the open
   */
  String getDmaMode();

  /**
   * Tells whether the link was up at the last status read.
   *
   * @return the link state
   */
  boolean isLinkUp();

  /**
   * Returns the number of receive queues.
   *
   * @return the receive queue count
   */
  int getRxQueues();

  /**
   * Returns the number of transmit queues.
   *
   * @return the transmit queue count
   */
  int getTxQueues();

  /**
   * Returns packets received.
   *
   * @return the total
   */
  long getRxPackets();

  /**
   * Returns bytes received.
   *
   * @return the total
   */
  long getRxBytes();

  /**
   * Returns packets transmitted.
   *
   * @return the total
   */
  long getTxPackets();

  /**
   * Returns bytes transmitted.
   *
   * @return the total
   */
  long getTxBytes();

  /**
   * Returns receive errors.
   *
   * @return the total
   */
  long getRxErrors();

  /**
   * Returns transmit errors.
   *
   * @return the total
   */
  long getTxErrors();

  /**
   * Returns frames dropped on receive.
   *
   * @return the total
   */
  long getRxDropped();

  /**
   * Returns frames dropped on transmit.
   *
   * @return the total
   */
  long getTxDropped();

  /**
   * Returns receive descriptors holding a buffer, over all queues.
   *
   * @return the count
   */
  int getRxRingUsed();

  /**
   * Returns receive descriptors, over all queues.
   *
   * @return the count
   */
  int getRxRingSize();

  /**
   * Returns transmit descriptors given to the device and not yet cleaned, over all queues.
   *
   * @return the count
   */
  int getTxRingUsed();

  /**
   * Returns transmit descriptors, over all queues.
   *
   * @return the count
   */
  int getTxRingSize();

  /**
   * Returns the free buffers of the device's receive pools.
   *
   * @return the count, 0 if the device has no pool of its own
   */
  int getMempoolFree();

  /**
   * Returns the buffers of the device's receive pools the application holds.
   *
   * @return the count
   */
  int getMempoolOwned();

  /**
   * Returns the buffers of the device's receive pools that devices hold.
   *
   * @return the count
   */
  int getMempoolInFlight();
}
