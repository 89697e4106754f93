/**
 * Devices driven through VFIO (Documentation/driver-api/vfio.rst): the IOMMU container shared
 * by every VFIO device of the process, each device's group and file descriptor, its regions
 * (BARs, configuration space) and its interrupts. Every DMA address such a device is given is an
 * I/O virtual address that the IOMMU translates, and reaches only memory mapped into the
 * container. The C calls themselves are {@link dev.panamax.impl.unsafe.Posix}; this package
 * builds their structs, checks their results and owns the file descriptors.
 */
@NullMarked
package dev.panamax.impl.vfio;

import org.jspecify.annotations.NullMarked;
