package dev.panamax.auditfixtures.impl.device;

import dev.panamax.auditfixtures.examples.ExampleUsesApi;

/** Breaks libraryDependsOnNoApplication: the library calls into an application. */
public final class DriverUsesExample {
  /** Runs the example. */
  public int run() {
    return new ExampleUsesApi().size();
  }
}
