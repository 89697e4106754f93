/**
 * Example applications in the spirit of ixy's: a packet generator, a forwarder, a verifying
 * receiver and a demo that chains them over in-memory devices.
 */
@NullMarked
package dev.panamax.examples;

import org.jspecify.annotations.NullMarked;
