package dev.panamax.impl.observe;

import jdk.jfr.Category;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A device was reset outside its normal open: after a crash of its previous holder. */
@Name("dev.panamax.DeviceReset")
@Label("Device Reset")
@Category({"Panamax", "Device"})
final class DeviceResetEvent extends jdk.jfr.Event {
  @Label("Device")
  String device = "";

  @Label("Reason")
  String reason = "";
}
