package dev.panamax.impl;
import java.lang.reflect.Field;
class UnsafeUse {
  static long peek(long address) throws ReflectiveOperationException {
    Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe"); // error: RestrictedNativeAccess
    f.setAccessible(true);
    Object u = f.get(null);
    return ((sun.misc.Unsafe) u).getLong(address); // error: RestrictedNativeAccess, RestrictedNativeAccess
  }
}
