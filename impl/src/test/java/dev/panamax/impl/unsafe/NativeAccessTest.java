package dev.panamax.impl.unsafe;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.api.NetworkDevice;
import org.junit.jupiter.api.Test;

/**
 * The run-time layer: the build and the launcher grant native access to {@code dev.panamax.impl}
 * alone ({@code --enable-native-access=dev.panamax.impl}) and run with {@code
 * --illegal-native-access=deny}, so the JDK refuses a restricted method in any other module;
 * inside impl, the audit confines restricted methods to {@code dev.panamax.impl.unsafe}.
 */
class NativeAccessTest {
  @Test
  void onlyTheImplementationModuleHasNativeAccess() {
    assertTrue(NativeAccessTest.class.getModule().isNamed(), "tests run in the dev.panamax.impl module");
    assertTrue(Posix.class.getModule().isNativeAccessEnabled(), "impl is granted native access");
    assertFalse(NetworkDevice.class.getModule().isNativeAccessEnabled(),
        "the api module, like every other, is not");
  }
}
