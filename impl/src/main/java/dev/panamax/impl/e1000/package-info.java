/**
 * e1000 driver for the 8254x family (82540EM, which QEMU's {@code e1000} emulates, and its
 * copper siblings), legacy descriptors. Section numbers refer to the PCI/PCI-X Family of Gigabit
 * Ethernet Controllers Software Developer's Manual, revision 4.0 ("8254x SDM").
 */
@NullMarked
package dev.panamax.impl.e1000;

import org.jspecify.annotations.NullMarked;
