package dev.panamax.impl.intel;

import dev.panamax.impl.device.InterruptLine;
import dev.panamax.impl.dma.DmaMemory;
import dev.panamax.impl.mempool.MempoolImpl;
import dev.panamax.impl.unsafe.Mmio;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Everything an Intel driver touches, handed in from outside so that the same driver code runs
 * on a real device (from {@link IntelOpener}) and on a register model in tests.
 *
 * @param address the device name for messages, e.g. its PCI address
 * @param registers BAR 0
 * @param ringMemory DMA memory for both descriptor rings, at least {@link #RING_MEMORY} bytes
 *     and physically contiguous over that range (one 2 MiB hugepage)
 * @param rxPool the receive mempool, entries of at least 2 KiB after the headroom
 * @param enableBusMaster lets the device issue DMA (PCI Command.BME); run once every address
 *     the device will use is programmed
 * @param detach runs last on close and on a failed open (binds the kernel driver back, gives up
 * @param interrupt opens the receive interrupt on first use; {@code null} if the device has none
 *     (the physical path: without VFIO an interrupt cannot reach this process)
 *     the claim)
 */
public record Hardware(String address, Mmio registers, DmaMemory ringMemory, MempoolImpl rxPool,
    Runnable enableBusMaster, Runnable detach, Supplier<@Nullable InterruptLine> interrupt) {

  /**
   * Hardware without interrupts (a device model, or the physical path).
   *
   * @param address device address for messages
   * @param registers BAR 0
   * @param ringMemory DMA memory for the rings
   * @param rxPool the receive pool
   * @param enableBusMaster sets Bus Master Enable
   * @param detach gives the device back
   */
  public Hardware(String address, Mmio registers, DmaMemory ringMemory, MempoolImpl rxPool,
      Runnable enableBusMaster, Runnable detach) {
    this(address, registers, ringMemory, rxPool, enableBusMaster, detach, () -> null);
  }

  /** Bytes of ring memory: two rings of at most {@link #MAX_RING_SIZE} 16-byte descriptors. */
  public static final long RING_MEMORY = 2L << 20;
  /** Largest ring the drivers use (the 82599 allows 8192 per queue, the 8254x 65536). */
  public static final int MAX_RING_SIZE = 4096;
  /** Offset of the transmit ring in the ring memory. */
  public static final long TX_RING_OFFSET = (long) MAX_RING_SIZE * RxRing.DESCRIPTOR_SIZE;
  /** Entry size of receive mempools: 2 KiB device buffer after the 64-byte headroom. */
  public static final int RX_ENTRY_SIZE = 4096;

  /**
   * Clamps a requested ring size to what the drivers use: a power of two from 8 to {@link
   * #MAX_RING_SIZE} (RDLEN/TDLEN must be a multiple of 128 bytes, i.e. 8 descriptors).
   *
   * @param requested from the device options
   * @return descriptors per ring
   */
  public static int ringSize(int requested) {
    return Math.max(8, Math.min(MAX_RING_SIZE, Integer.highestOneBit(Math.max(1, requested))));
  }
}
