package dev.panamax.auditfixtures.benchmarks;

import dev.panamax.auditfixtures.impl.unsafe.AllowedNative;

/** Breaks applicationsUseOnlyTheApi: a benchmark calls the unsafe package directly. */
public final class BenchmarkUsesUnsafe {
  /** The primitive. */
  public AllowedNative primitive = new AllowedNative();
}
