/**
 * The Panamax implementation: drivers, mempools and in-memory devices.
 *
 * <p>Within it, only {@code dev.panamax.impl.unsafe} touches raw memory, device registers or
 * device addresses, and only it makes native calls (the VFIO path's ioctl, mmap, eventfd). It
 * is the one module granted native access: Panamax runs with {@code --illegal-native-access=deny
 * --enable-native-access=dev.panamax.impl}. Applications reach it through the {@code
 * dev.panamax.api} factories.
 */
module dev.panamax.impl {
  requires transitive dev.panamax.api;
  requires java.management;
  requires jdk.jfr;

  // The platform MBean server calls the device MXBeans through their interface.
  exports dev.panamax.impl.observe to java.management;

  provides dev.panamax.api.PanamaxProvider with
      dev.panamax.impl.DefaultProvider;
}
