/**
 * The only code in Panamax that touches raw memory, native functions, device addresses or device
 * registers: {@link dev.panamax.impl.unsafe.BusAddresses} (page-map translation, every
 * DMA address a device is given), {@link dev.panamax.impl.unsafe.Mmio} and {@link
 * dev.panamax.impl.unsafe.PortIo} (register access), {@link dev.panamax.impl.unsafe.PciControl}
 * (unbind, bind, Bus Master Enable).
 *
 * <p>Every primitive here is a few lines, bounds-checked, with a sentence saying why it is sound.
 * Everything around them (hugepage mounts, sysfs reads, messages) lives in ordinary packages that
 * check their input before calling in. Nothing here depends on another Panamax package. The
 * unsafe audit counts every line.
 */
@NullMarked
package dev.panamax.impl.unsafe;

import org.jspecify.annotations.NullMarked;
