/**
 * The Panamax implementation: drivers, mempools and in-memory devices.
 *
 * <p>Within it, only {@code dev.panamax.impl.unsafe} touches raw memory, device registers or
 * device addresses. It makes no native call, so it needs no native access: Panamax runs with
 * {@code --illegal-native-access=deny} and no {@code --enable-native-access} grant. Applications reach it through the {@code dev.panamax.api} factories.
 */
module dev.panamax.impl {
  requires transitive dev.panamax.api;

  provides dev.panamax.api.PanamaxProvider with
      dev.panamax.impl.DefaultProvider;
}
