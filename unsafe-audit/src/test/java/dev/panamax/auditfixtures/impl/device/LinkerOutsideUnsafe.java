package dev.panamax.auditfixtures.impl.device;

import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;

/** Breaks restrictedMethodsOnlyInUnsafe: Linker and SymbolLookup methods, restricted or not. */
public final class LinkerOutsideUnsafe {
  /** Looks up libc. */
  public SymbolLookup libc() {
    return Linker.nativeLinker().defaultLookup();
  }
}
