package dev.panamax.auditfixtures.impl.device;

import java.lang.foreign.MemorySegment;

/** Breaks restrictedMethodsOnlyInUnsafe: a driver widens a segment itself. */
@SuppressWarnings({"restricted", "removal", "sunapi"})
public final class ReinterpretsOutsideUnsafe {
  /** Widens. */
  public MemorySegment widen(MemorySegment s) {
    return s.reinterpret(4096);
  }
}
