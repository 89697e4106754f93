import java.lang.foreign.MemorySegment;
class Reinterpret {
  MemorySegment f(MemorySegment s) {
    return s.reinterpret(4096); // error: RestrictedNativeAccess
  }
}
