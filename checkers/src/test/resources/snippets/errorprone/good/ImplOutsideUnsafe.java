package dev.panamax.impl;
import java.lang.foreign.*;
final class ImplOutsideUnsafe {
  MemorySegment slice(MemorySegment s, long off) {
    return s.asSlice(off, 64);
  }
}
