package dev.panamax.auditfixtures.impl.cycleb;

import dev.panamax.auditfixtures.impl.cyclea.A;

/** Breaks noPackageCycles with {@link A}. */
public final class B {
  /** The other half. */
  public A a;
}
