package dev.panamax.impl.unsafe;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * The run-time layer: Panamax makes no native call, so the build and the launcher grant no module
 * native access and run with {@code --illegal-native-access=deny}. The JDK then refuses a
 * restricted method even here, inside {@code dev.panamax.impl.unsafe}.
 */
class NativeAccessTest {
  @Test
  @SuppressWarnings("restricted") // the point: the JDK must refuse these
  void theJdkRefusesRestrictedMethodsEvenInTheUnsafePackage() {
    assertTrue(MemorySegment.class.getModule().isNativeAccessEnabled(), "java.base always has it");
    assertTrue(NativeAccessTest.class.getModule().isNamed(), "tests run in the dev.panamax.impl module");
    assertThrows(IllegalCallerException.class, () -> MemorySegment.NULL.reinterpret(8));
    assertThrows(IllegalCallerException.class,
        () -> Linker.nativeLinker().downcallHandle(java.lang.foreign.FunctionDescriptor.ofVoid()));
  }
}
