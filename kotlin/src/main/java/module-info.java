/**
 * Kotlin extensions for the Panamax API ({@code dev.panamax.kotlin}) and the flows example
 * application ({@code dev.panamax.kotlin.flows}).
 *
 * <p>Like every application module, this one needs no native access: the implementation module
 * {@code dev.panamax.impl} is resolved through the {@code uses} clause of {@code dev.panamax.api}
 * (service binding), and only it is granted native access.
 */
module dev.panamax.kotlin {
  requires transitive dev.panamax.api;
  requires transitive kotlin.stdlib;
  requires info.picocli;
  requires jdk.management;

  exports dev.panamax.kotlin;
  exports dev.panamax.kotlin.flows;

  opens dev.panamax.kotlin.flows to
      info.picocli;
}
