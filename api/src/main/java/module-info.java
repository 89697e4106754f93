/**
 * The public Panamax API: network devices, linear packet handles, batches, mempools and stats.
 *
 * <p>This module holds types only. Drivers live in {@code dev.panamax.impl}, which registers a
 * {@link dev.panamax.api.PanamaxProvider} that the static factories of this module find
 * through {@link java.util.ServiceLoader}. No {@code java.lang.foreign} type other than
 * {@link java.lang.foreign.Arena} appears in a signature here.
 */
module dev.panamax.api {
  requires transitive org.jspecify;

  exports dev.panamax.api;

  uses dev.panamax.api.PanamaxProvider;
}
