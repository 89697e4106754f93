/**
 * What the Intel drivers share: one descriptor-ring implementation for receive ({@link
 * dev.panamax.impl.intel.RxRing}) and transmit ({@link dev.panamax.impl.intel.TxRing}), used
 * with advanced descriptors by igb (82576) and ixgbe (82599) and with legacy descriptors by
 * e1000 (8254x); the per-queue register offsets ({@link dev.panamax.impl.intel.QueueRegisters});
 * the device base class with the data path and counters ({@link
 * dev.panamax.impl.intel.IntelDevice}); and the open sequence with its rollback ({@link
 * dev.panamax.impl.intel.IntelOpener}). Only register offsets and initialisation differ between
 * the families.
 *
 * <p>Datasheets cited: "8254x SDM" is the PCI/PCI-X Family of Gigabit Ethernet Controllers
 * Software Developer's Manual (rev. 4.0); "82576" is the Intel 82576EB GbE Controller datasheet
 * (rev. 2.x); "82599" is the Intel 82599 10 GbE Controller datasheet (rev. 3.x).
 */
@NullMarked
package dev.panamax.impl.intel;

import org.jspecify.annotations.NullMarked;
