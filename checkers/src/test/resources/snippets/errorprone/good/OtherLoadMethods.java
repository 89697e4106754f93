class OtherLoadMethods {
  void f(ClassLoader cl) throws Exception {
    cl.loadClass("java.lang.String");
    java.util.ServiceLoader.load(Runnable.class);
  }
}
