/** Example applications: pktgen, fwd, recv, pcap, respond and the demo. They use the public API only. */
module dev.panamax.examples {
  requires dev.panamax.api;
  requires info.picocli;
  requires java.logging;
  requires jdk.jfr;
  requires jdk.management;

  opens dev.panamax.examples to
      info.picocli;

  exports dev.panamax.examples;
}
