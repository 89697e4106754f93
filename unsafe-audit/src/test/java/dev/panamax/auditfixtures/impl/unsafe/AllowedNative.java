package dev.panamax.auditfixtures.impl.unsafe;

import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Legal: the unsafe package may do everything the confinement rules forbid elsewhere. */
@SuppressWarnings({"restricted", "removal", "sunapi"})
public final class AllowedNative {
  /** Widens, reads addresses, looks up symbols. */
  public long everything(MemorySegment s) {
    MemorySegment wide = s.reinterpret(4096);
    MemorySegment p = wide.get(ValueLayout.ADDRESS, 0);
    Linker.nativeLinker().defaultLookup();
    System.loadLibrary("z");
    return wide.address() + p.address() + MemorySegment.ofAddress(8).address();
  }

  /** A JNI entry point. */
  public native int ring();
}
