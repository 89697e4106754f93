/**
 * DMA memory: the {@link dev.panamax.impl.dma.DmaMemory} handle drivers and mempools hold, and
 * the hugepage allocator behind it. Every bus address comes from {@link
 * dev.panamax.impl.unsafe.BusAddresses}; nothing here sees one.
 */
@NullMarked
package dev.panamax.impl.dma;

import org.jspecify.annotations.NullMarked;
