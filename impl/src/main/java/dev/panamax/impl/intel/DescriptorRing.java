package dev.panamax.impl.intel;

import dev.panamax.impl.dma.DmaMemory;
import dev.panamax.impl.dma.DmaSpace;
import dev.panamax.impl.mempool.PacketBuffer;
import dev.panamax.impl.unsafe.Mmio;
import java.lang.foreign.MemorySegment;
import org.jspecify.annotations.Nullable;

/**
 * What a receive and a transmit descriptor ring share: the ring memory, the buffer given to the
 * device on each descriptor, and programming the queue's base, length, head and tail registers
 * (8254x SDM 14.4/14.5, 82576 4.5.9/4.5.10, 82599 4.6.7/4.6.8). {@link RxRing} and {@link
 * TxRing} add the direction's descriptor formats and index bookkeeping.
 */
abstract class DescriptorRing {
  /** Bytes per descriptor, both formats, both directions. */
  static final int DESCRIPTOR_SIZE = 16;

  /** The device's register window. */
  final Mmio registers;
  /** The queue's register offsets. */
  final QueueRegisters queue;
  /** Descriptor format. */
  final DescriptorFormat format;
  /** The descriptors. */
  final MemorySegment ring;
  /** Descriptors, a power of two. */
  final int size;
  /** {@code size - 1}, for index wrap-around. */
  final int mask;
  /** The buffer the device holds on each descriptor, or {@code null}. */
  final @Nullable PacketBuffer[] buffers;
  /** Preallocated text naming the ring in ownership messages. */
  final String consumer;
  /** Names the device in messages. */
  final String device;
  /** The device's DMA space, and whether its addresses go through the IOMMU. */
  final DmaSpace space;
  final boolean iommu;
  private final DmaMemory ringMemory;
  private final long base;

  /**
   * Checks the geometry and takes the ring's slice of {@code ringMemory}; nothing is written to
   * the device.
   *
   * @param direction "rx" or "tx", for messages
   * @param registers the device's register window
   * @param queue the queue's register offsets
   * @param format descriptor format
   * @param ringMemory DMA memory holding the descriptors, already given to the device ({@link
   *     DmaMemory#assignTo}), whose space the ring takes
   * @param base offset of the ring in {@code ringMemory}, 128-byte aligned
   * @param size descriptors, a power of two, at least 8
   * @param consumer preallocated text naming the ring in ownership messages
   * @param device names the device in messages
   */
  DescriptorRing(String direction, Mmio registers, QueueRegisters queue, DescriptorFormat format,
      DmaMemory ringMemory, long base, int size, String consumer, String device) {
    if (size < 8 || Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException(direction + " ring size " + size + " must be a power of two >= 8");
    }
    if ((base & 127) != 0) {
      throw new IllegalArgumentException(direction + " ring base " + base + " is not 128-byte aligned");
    }
    this.registers = registers;
    this.queue = queue;
    this.format = format;
    this.ringMemory = ringMemory;
    this.space = ringMemory.space();
    this.iommu = space.iommu();
    this.ring = ringMemory.segment().asSlice(base, (long) size * DESCRIPTOR_SIZE);
    this.base = base;
    this.size = size;
    this.mask = size - 1;
    this.buffers = new PacketBuffer[size];
    this.consumer = consumer;
    this.device = device;
  }

  /**
   * Zeroes the ring and programs it empty: base address, length in bytes, head = tail = 0.
   *
   * @param addressLow the base address register, low half (RDBAL/TDBAL)
   * @param addressHigh the base address register, high half (RDBAH/TDBAH)
   * @param length the length register (RDLEN/TDLEN)
   * @param head the head register (RDH/TDH)
   * @param tail the tail register (RDT/TDT)
   */
  final void programEmpty(int addressLow, int addressHigh, int length, int head, int tail) {
    ring.fill((byte) 0);
    ringMemory.programAddressRegisters(registers, addressLow, addressHigh, base);
    registers.write32(length, size * DESCRIPTOR_SIZE);
    registers.write32(head, 0);
    registers.write32(tail, 0);
  }

  /** Gives every buffer still on the ring back to its pool; call only after the device stopped. */
  @SuppressWarnings("ownership") // the ring is an owning container of in-flight buffers
  final void returnBuffers() {
    for (int i = 0; i < size; i++) {
      final PacketBuffer buffer = buffers[i];
      if (buffer != null) {
        buffers[i] = null;
        buffer.pool().returnOnClose(buffer);
      }
    }
  }
}
