class EnableNativeAccess {
  void f(ModuleLayer.Controller c, Module m) {
    c.enableNativeAccess(m); // error: RestrictedNativeAccess
  }
}
