package dev.panamax.auditfixtures.impl.device;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Breaks rawAddressesOnlyInUnsafe: a driver reads an address and a pointer. */
public final class TakesRawAddress {
  /** Returns the address. */
  public long where(MemorySegment s) {
    return s.address();
  }

  /** Reads a pointer. */
  public MemorySegment pointer(MemorySegment s) {
    return s.get(ValueLayout.ADDRESS, 0);
  }

  /** Forges a segment. */
  public MemorySegment forge(long address) {
    return MemorySegment.ofAddress(address);
  }
}
