import java.lang.foreign.*;
class WithTargetLayout {
  AddressLayout f() {
    return ValueLayout.ADDRESS.withTargetLayout(ValueLayout.JAVA_LONG); // error: RestrictedNativeAccess
  }
}
