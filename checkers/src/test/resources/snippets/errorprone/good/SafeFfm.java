import java.lang.foreign.*;
class SafeFfm {
  long f() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment s = arena.allocate(64);
      s.set(ValueLayout.JAVA_LONG, 0, 42L);
      MemorySegment z = MemorySegment.ofAddress(0);
      return s.get(ValueLayout.JAVA_LONG, 0) + z.byteSize() + s.asSlice(8).byteSize();
    }
  }
}
