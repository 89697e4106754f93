/**
 * The Panamax implementation: drivers, mempools and in-memory devices.
 *
 * <p>Only this module is granted native access ({@code --enable-native-access=dev.panamax.impl});
 * within it, only {@code dev.panamax.impl.unsafe} touches raw memory, native calls or device
 * addresses. Applications reach it through the {@code dev.panamax.api} factories.
 */
module dev.panamax.impl {
  requires transitive dev.panamax.api;

  provides dev.panamax.api.PanamaxProvider with
      dev.panamax.impl.DefaultProvider;
}
