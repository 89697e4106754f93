package dev.panamax.impl.observe;

import jdk.jfr.Category;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** The data path's periodic status read saw the link go up or down, or the device vanish. */
@Name("dev.panamax.LinkChanged")
@Label("Link Changed")
@Category({"Panamax", "Device"})
final class LinkChangedEvent extends jdk.jfr.Event {
  @Label("Device")
  String device = "";

  @Label("Link Up")
  boolean up;

  @Label("Detail")
  String detail = "";
}
