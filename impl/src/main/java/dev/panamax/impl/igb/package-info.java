/**
 * igb driver for the 82576 (which QEMU's {@code igb} emulates), advanced descriptors on the
 * shared ring of {@link dev.panamax.impl.intel}. Section numbers refer to the Intel 82576EB
 * Gigabit Ethernet Controller datasheet ("82576").
 */
@NullMarked
package dev.panamax.impl.igb;

import org.jspecify.annotations.NullMarked;
