package dev.panamax.impl.observe;

import jdk.jfr.Category;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A device was closed: stopped, its buffers back in their pools. */
@Name("dev.panamax.DeviceClosed")
@Label("Device Closed")
@Category({"Panamax", "Device"})
final class DeviceClosedEvent extends jdk.jfr.Event {
  @Label("Device")
  String device = "";

  @Label("Driver")
  String driver = "";

  @Label("RX Packets")
  long rxPackets;

  @Label("TX Packets")
  long txPackets;
}
