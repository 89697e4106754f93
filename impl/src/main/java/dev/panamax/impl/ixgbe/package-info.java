/**
 * ixgbe driver for the 82599 family (82599ES/X520), advanced descriptors on the shared ring of
 * {@link dev.panamax.impl.intel}. Section numbers refer to the Intel 82599 10 GbE Controller
 * datasheet ("82599"). No emulator exists; the driver is validated against a register-level
 * model in the tests.
 */
@NullMarked
package dev.panamax.impl.ixgbe;

import org.jspecify.annotations.NullMarked;
