package dev.panamax.auditfixtures.examples;

import dev.panamax.auditfixtures.api.FixturePacket;

/** Legal: an application using the API. */
public final class ExampleUsesApi {
  /** Size. */
  public int size() {
    return new FixturePacket().length;
  }
}
