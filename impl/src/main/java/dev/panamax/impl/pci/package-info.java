/**
 * Opening PCI NICs: sysfs access ({@link dev.panamax.impl.pci.SysfsPci}: reads, BAR mapping,
 * and the handover primitives of {@code dev.panamax.impl.unsafe.PciControl}), configuration-space
 * parsing, the supported-device table, the checks that must pass before a device is touched, and
 * unbinding with rollback.
 */
@NullMarked
package dev.panamax.impl.pci;

import org.jspecify.annotations.NullMarked;
