package dev.panamax.auditfixtures.examples;

/** Breaks noUnsafeOutsideUnsafe: an application reaches for sun.misc.Unsafe. */
@SuppressWarnings({"restricted", "removal", "sunapi"})
public final class UsesSunMiscUnsafe {
  /** The type. */
  public static final Class<?> UNSAFE = sun.misc.Unsafe.class;
}
