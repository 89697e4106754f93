package dev.panamax.impl.observe;

import jdk.jfr.Category;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * A packet handle was used after it was consumed; emitted where the {@link
 * dev.panamax.api.PacketOwnershipException} is built, with the stack trace of the offending call.
 */
@Name("dev.panamax.OwnershipViolation")
@Label("Ownership Violation")
@Category({"Panamax", "Ownership"})
final class OwnershipViolationEvent extends jdk.jfr.Event {
  @Label("Mempool")
  String pool = "";

  @Label("Buffer")
  int buffer;

  @Label("Operation")
  String operation = "";

  @Label("Consumed By")
  String consumedBy = "";
}
