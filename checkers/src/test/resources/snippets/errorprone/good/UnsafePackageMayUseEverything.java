package dev.panamax.impl.unsafe;
import java.lang.foreign.*;
final class UnsafePackageMayUseEverything {
  native int legacy();
  MemorySegment f(MemorySegment s) {
    System.loadLibrary("c");
    Linker.nativeLinker();
    return s.reinterpret(64);
  }
}
