class SystemLoadLibrary {
  static {
    System.loadLibrary("ixgbe"); // error: RestrictedNativeAccess
  }
  void f(String path) {
    System.load(path); // error: RestrictedNativeAccess
    Runtime.getRuntime().loadLibrary("x"); // error: RestrictedNativeAccess
  }
}
