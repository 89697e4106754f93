import java.lang.foreign.*;
class LibraryLookup {
  SymbolLookup f(Arena arena) {
    return SymbolLookup.libraryLookup("libc.so.6", arena); // error: RestrictedNativeAccess
  }
}
