import java.lang.foreign.MemorySegment;
import java.util.function.LongFunction;
class ReinterpretMethodRef {
  LongFunction<MemorySegment> f(MemorySegment s) {
    return s::reinterpret; // error: RestrictedNativeAccess
  }
}
