/**
 * Example applications in the spirit of ixy's: a packet generator, a forwarder, a verifying
 * receiver, a pcap writer, an ARP and ICMP echo responder, and a demo that chains the first
 * three over in-memory devices.
 */
@NullMarked
package dev.panamax.examples;

import org.jspecify.annotations.NullMarked;
