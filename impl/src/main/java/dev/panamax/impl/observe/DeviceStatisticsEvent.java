package dev.panamax.impl.observe;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * The counters of one open device, emitted by JFR's periodic thread (every second by default)
 * from {@link dev.panamax.api.NetworkDevice#monitorStats()}: totals since the device was opened.
 */
@Name("dev.panamax.DeviceStatistics")
@Label("Device Statistics")
@Category({"Panamax", "Device"})
@Description("Packet, byte, drop and error totals of an open Panamax device")
@Period("1 s")
@StackTrace(false)
final class DeviceStatisticsEvent extends jdk.jfr.Event {
  @Label("Device")
  String device = "";

  @Label("Driver")
  String driver = "";

  @Label("Link Up")
  boolean linkUp;

  @Label("RX Packets")
  long rxPackets;

  @Label("RX Bytes")
  @DataAmount
  long rxBytes;

  @Label("TX Packets")
  long txPackets;

  @Label("TX Bytes")
  @DataAmount
  long txBytes;

  @Label("RX Errors")
  long rxErrors;

  @Label("TX Errors")
  long txErrors;

  @Label("RX Dropped")
  long rxDropped;

  @Label("TX Dropped")
  long txDropped;
}
