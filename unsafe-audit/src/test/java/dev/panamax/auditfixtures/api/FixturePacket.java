package dev.panamax.auditfixtures.api;

/** A legal API type. */
public final class FixturePacket {
  /** Length. */
  public int length;
}
