package dev.panamax.impl.observe;

import dev.panamax.api.NetworkDevice;

/**
 * What JFR, the MXBeans and the log read of an open device, from their own threads. Every
 * device implements it; none of these methods touches the device's registers.
 */
public interface MonitoredDevice extends NetworkDevice {
  /**
   * Tells whether the link was up at the last status read.
   *
   * @return the last seen link state; {@code false} once closed or gone
   */
  boolean monitorLinkUp();

  /**
   * Returns the occupancy of a queue's rings and its receive pool, read without
   * synchronisation, so a figure may be a moment old.
   *
   * @param queue a queue index, from 0 to the larger of the queue counts minus one
   * @return the queue's figures
   */
  QueueFigures queueFigures(int queue);
}
