package dev.panamax.auditfixtures.examples;

import dev.panamax.auditfixtures.impl.device.FixtureDriver;

/** Breaks applicationsUseOnlyTheApi: an example instantiates a driver. */
public final class ExampleUsesImpl {
  /** The driver. */
  public FixtureDriver driver = new FixtureDriver();
}
