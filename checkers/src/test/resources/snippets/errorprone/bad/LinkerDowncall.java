import java.lang.foreign.*;
import java.lang.invoke.MethodHandle;
class LinkerDowncall {
  MethodHandle getpid() {
    Linker linker = Linker.nativeLinker(); // error: RestrictedNativeAccess
    MemorySegment sym = linker.defaultLookup().find("getpid").orElseThrow(); // error: RestrictedNativeAccess
    return linker.downcallHandle(sym, FunctionDescriptor.of(ValueLayout.JAVA_INT)); // error: RestrictedNativeAccess
  }
}
