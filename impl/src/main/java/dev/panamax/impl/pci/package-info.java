/**
 * Opening PCI NICs: configuration-space parsing, the supported-device table, the checks that
 * must pass before a device is touched, and unbinding with rollback.
 */
@NullMarked
package dev.panamax.impl.pci;

import org.jspecify.annotations.NullMarked;
