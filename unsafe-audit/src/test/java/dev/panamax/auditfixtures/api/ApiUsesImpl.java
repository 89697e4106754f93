package dev.panamax.auditfixtures.api;

import dev.panamax.auditfixtures.impl.device.FixtureDriver;

/** Breaks apiDependsOnNoOtherPanamaxPackage: the API reaches into the implementation. */
public final class ApiUsesImpl {
  /** The driver. */
  public FixtureDriver driver = new FixtureDriver();
}
