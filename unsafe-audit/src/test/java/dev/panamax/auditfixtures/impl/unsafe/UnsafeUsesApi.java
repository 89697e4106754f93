package dev.panamax.auditfixtures.impl.unsafe;

import dev.panamax.auditfixtures.api.FixturePacket;

/** Breaks unsafeIsALeaf: the unsafe package depends on the API. */
public final class UnsafeUsesApi {
  /** Reads a packet. */
  public int length(FixturePacket p) {
    return p.length;
  }
}
