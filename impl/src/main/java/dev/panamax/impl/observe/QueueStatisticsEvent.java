package dev.panamax.impl.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * Ring occupancy and receive-pool figures of one queue of an open device, emitted together with
 * {@link DeviceStatisticsEvent} by the same periodic hook.
 */
@Name("dev.panamax.QueueStatistics")
@Label("Queue Statistics")
@Category({"Panamax", "Device"})
@Description("Ring occupancy and receive mempool figures of one queue of an open Panamax device")
@StackTrace(false)
final class QueueStatisticsEvent extends jdk.jfr.Event {
  @Label("Device")
  String device = "";

  @Label("Queue")
  int queue;

  @Label("RX Ring Size")
  int rxRingSize;

  @Label("RX Ring Used")
  @Description("Receive descriptors holding a buffer")
  int rxRingUsed;

  @Label("TX Ring Size")
  int txRingSize;

  @Label("TX Ring Used")
  @Description("Transmit descriptors given to the device and not yet cleaned")
  int txRingUsed;

  @Label("Mempool")
  String mempool = "";

  @Label("Mempool Capacity")
  int mempoolCapacity;

  @Label("Mempool Free")
  int mempoolFree;

  @Label("Mempool Owned")
  @Description("Buffers held by the application")
  int mempoolOwned;

  @Label("Mempool In Flight")
  @Description("Buffers held by devices")
  int mempoolInFlight;
}
