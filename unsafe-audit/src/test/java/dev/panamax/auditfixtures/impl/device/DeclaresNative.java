package dev.panamax.auditfixtures.impl.device;

/** Breaks noNativeMethodsOutsideUnsafe: JNI in a driver. */
public final class DeclaresNative {
  /** A JNI entry point. */
  public native int ring();
}
