package dev.panamax.api;

import java.util.ServiceLoader;

/** Finds the implementation module once. */
final class Panamax {
  private Panamax() {}

  private static final class Holder {
    static final PanamaxProvider PROVIDER = load();

    private static PanamaxProvider load() {
      return ServiceLoader.load(PanamaxProvider.class, Panamax.class.getClassLoader())
          .findFirst()
          .orElseThrow(
              () ->
                  new PanamaxException(
                      "no Panamax implementation found: put panamax-impl (module dev.panamax.impl)"
                          + " on the module path or class path"));
    }
  }

  static PanamaxProvider provider() {
    return Holder.PROVIDER;
  }
}
