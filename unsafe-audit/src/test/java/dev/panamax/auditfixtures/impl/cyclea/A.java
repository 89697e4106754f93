package dev.panamax.auditfixtures.impl.cyclea;

import dev.panamax.auditfixtures.impl.cycleb.B;

/** Breaks noPackageCycles with {@link B}. */
public final class A {
  /** The other half. */
  public B b;
}
