package dev.panamax.impl.intel;

import dev.panamax.impl.device.InterruptLine;
import dev.panamax.impl.dma.DmaMemory;
import dev.panamax.impl.mempool.MempoolImpl;
import dev.panamax.impl.unsafe.Mmio;
import java.util.List;
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
 * @param rxPools one receive mempool per receive queue, entries of at least 2 KiB after the
 *     headroom
 * @param enableBusMaster lets the device issue DMA (PCI Command.BME); run once every address
 *     the device will use is programmed
 * @param detach runs last on close and on a failed open (binds the kernel driver back, gives up
 * @param interrupt opens the receive interrupt on first use; {@code null} if the device has none
 *     (the physical path: without VFIO an interrupt cannot reach this process)
 *     the claim)
 */
public record Hardware(String address, Mmio registers, DmaMemory ringMemory,
    List<MempoolImpl> rxPools, Runnable enableBusMaster, Runnable detach,
    Supplier<@Nullable InterruptLine> interrupt) {

  /**
   * Checks the pools and copies their list.
   *
   * @throws IllegalArgumentException without pools or with more than {@link #MAX_QUEUES}
   */
  public Hardware {
    rxPools = List.copyOf(rxPools);
    if (rxPools.isEmpty() || rxPools.size() > MAX_QUEUES) {
      throw new IllegalArgumentException(address + ": " + rxPools.size()
          + " receive pools: must be from 1 to " + MAX_QUEUES);
    }
  }

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
    this(address, registers, ringMemory, List.of(rxPool), enableBusMaster, detach, () -> null);
  }

  /** Largest ring the drivers use (the 82599 allows 8192 per queue, the 8254x 65536). */
  public static final int MAX_RING_SIZE = 4096;
  /** Most queues each way a driver here drives (the 82576 has 16, the 82599 16 with RSS). */
  public static final int MAX_QUEUES = 16;
  /** Bytes reserved per ring: {@link #MAX_RING_SIZE} 16-byte descriptors, 64 KiB. */
  public static final long RING_SLOT = (long) MAX_RING_SIZE * RxRing.DESCRIPTOR_SIZE;
  /** Bytes of ring memory: a slot per receive and per transmit queue, one 2 MiB hugepage. */
  public static final long RING_MEMORY = 2L * MAX_QUEUES * RING_SLOT;

  /**
   * Offset of receive queue {@code queue}'s ring in the ring memory.
   *
   * @param queue from 0 to {@link #MAX_QUEUES} - 1
   * @return the offset, 128-byte aligned
   */
  public static long rxRingOffset(int queue) {
    return queue * RING_SLOT;
  }

  /**
   * Offset of transmit queue {@code queue}'s ring in the ring memory.
   *
   * @param queue from 0 to {@link #MAX_QUEUES} - 1
   * @return the offset, 128-byte aligned
   */
  public static long txRingOffset(int queue) {
    return (MAX_QUEUES + queue) * RING_SLOT;
  }

  /**
   * Returns receive queue 0's pool.
   *
   * @return the first pool
   */
  public MempoolImpl rxPool() {
    return rxPools.get(0);
  }
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
