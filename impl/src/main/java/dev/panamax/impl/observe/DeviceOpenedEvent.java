package dev.panamax.impl.observe;

import jdk.jfr.Category;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A device was opened. */
@Name("dev.panamax.DeviceOpened")
@Label("Device Opened")
@Category({"Panamax", "Device"})
final class DeviceOpenedEvent extends jdk.jfr.Event {
  @Label("Device")
  String device = "";

  @Label("Driver")
  String driver = "";

  @Label("DMA Mode")
  String dma = "";

  @Label("RX Queues")
  int rxQueues;

  @Label("TX Queues")
  int txQueues;
}
