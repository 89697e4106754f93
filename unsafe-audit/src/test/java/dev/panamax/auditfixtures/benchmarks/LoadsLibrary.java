package dev.panamax.auditfixtures.benchmarks;

/** Breaks noLibraryLoadingOutsideUnsafe (and restrictedMethodsOnlyInUnsafe): JNI loading. */
@SuppressWarnings({"restricted", "removal", "sunapi"})
public final class LoadsLibrary {
  /** Loads. */
  public void load() {
    System.loadLibrary("fast");
    Runtime.getRuntime().load("/tmp/libfast.so");
  }
}
