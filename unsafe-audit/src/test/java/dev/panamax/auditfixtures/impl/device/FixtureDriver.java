package dev.panamax.auditfixtures.impl.device;

import dev.panamax.auditfixtures.api.FixturePacket;

/** A legal driver: uses the API only. */
public final class FixtureDriver {
  /** Sends. */
  public int send(FixturePacket p) {
    return p.length;
  }
}
