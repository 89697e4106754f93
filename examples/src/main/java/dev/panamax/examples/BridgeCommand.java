package dev.panamax.examples;

import picocli.CommandLine.Command;

/**
 * {@code panamax bridge DEV1 DEV2}: a transparent layer-2 bump in the wire. Both devices are
 * promiscuous and every frame received on one is sent on the other exactly as it arrived (no TTL
 * or checksum rewrite), in both directions; the options, stats lines and summary are those of
 * {@link FwdCommand}.
 */
@Command(
    name = "bridge",
    mixinStandardHelpOptions = true,
    description = "Bridge DEV1 and DEV2: both promiscuous, every frame forwarded unchanged in both"
        + " directions (a transparent bump in the wire); prints one stats line per device and"
        + " second and a summary at the end (--count, --seconds, --idle or Ctrl-C).")
public final class BridgeCommand extends FwdCommand {
  /** Creates the bridge; picocli fills the options from the command line. */
  public BridgeCommand() {
    super("bridge", true);
  }
}
