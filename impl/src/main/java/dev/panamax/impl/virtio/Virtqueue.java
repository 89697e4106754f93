package dev.panamax.impl.virtio;

import dev.panamax.api.Consumes;
import dev.panamax.api.Owned;
import dev.panamax.api.PacketBatch;
import dev.panamax.impl.dma.DmaMemory;
import dev.panamax.impl.dma.DmaSpace;
import dev.panamax.impl.mempool.MempoolImpl;
import dev.panamax.impl.mempool.PacketBuffer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.jspecify.annotations.Nullable;

/**
 * A split virtqueue (2.4) in DMA memory, laid out as legacy devices require (2.4.2): the
 * descriptor table, then the available ring, then, at the next 4 KiB boundary, the used ring.
 * Modern devices accept the same layout.
 *
 * <p>Memory ordering (2.4.7, 2.4.8): descriptors and ring entries are plain stores; the
 * available index is published with a release store, so a device that sees the new index sees
 * the entries; a full fence separates that store from the read of the used ring's NO_NOTIFY
 * flag; the used index is read with an acquire load before the used elements.
 *
 * <p>Single-threaded: one queue, one thread.
 *
 * <p>An owning container for the buffers given to the device: {@link #addBuffer} takes
 * ownership, {@link #takeUsedBuffer} and {@link #drainBuffers} give it back. These three methods,
 * which move buffers in and out of the per-descriptor array, are the only places where the
 * ownership checker is told to trust the code (see docs/ownership.md).
 */
final class Virtqueue {
  /** Descriptor continues via the next field (2.4.5). */
  static final int DESC_F_NEXT = 1;
  /** Descriptor is device-writable (2.4.5). */
  static final int DESC_F_WRITE = 2;
  private static final int AVAIL_F_NO_INTERRUPT = 1;
  private static final int USED_F_NO_NOTIFY = 1;
  private static final int ALIGN = 4096;

  private static final ValueLayout.OfShort U16 =
      ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle U16_HANDLE = U16.varHandle();
  private static final ValueLayout.OfLong ZERO64 = ValueLayout.JAVA_LONG_UNALIGNED;
  private static final ValueLayout.OfInt ZERO32 = ValueLayout.JAVA_INT_UNALIGNED;
  private static final ValueLayout.OfShort ZERO16 = ValueLayout.JAVA_SHORT_UNALIGNED;

  private final int index;
  private final int size;
  private final int mask;
  private final DmaMemory ring;
  /** Whether the device reads addresses through the IOMMU (its ring memory's space). */
  private final boolean iommu;
  private final MemorySegment segment;
  private final long desc;
  private final long avail;
  private final long used;
  private final @Nullable PacketBuffer[] buffers;
  private final int[] freeIds;
  private int freeCount;
  private int availIdx;
  private int lastUsed;
  private int lastLength;
  /** Packets the last {@link #sendFrom} queued, also when it threw. */
  private int movedPackets;
  /** Bytes (headers not counted) that the last {@link #sendFrom} or {@link #receiveInto} moved. */
  private long movedBytes;
  /** Used buffers shorter than a header that the last {@link #receiveInto} dropped. */
  private int shortBuffers;

  /**
   * Bytes a queue of {@code size} entries needs (2.4.2).
   *
   * @param size queue size, a power of two
   * @return bytes, a multiple of 4 KiB
   */
  static long bytesNeeded(int size) {
    return align(16L * size + 6 + 2L * size) + align(6 + 8L * size);
  }

  private static long align(long n) {
    return (n + ALIGN - 1) & -ALIGN;
  }

  Virtqueue(int index, int size, DmaMemory ring, long base) {
    if (Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException("virtqueue " + index + " size " + size + " is not a power of two");
    }
    this.index = index;
    this.size = size;
    this.mask = size - 1;
    this.ring = ring;
    this.iommu = ring.space().iommu();
    this.segment = ring.segment();
    this.desc = base;
    this.avail = base + 16L * size;
    this.used = base + align(16L * size + 6 + 2L * size);
    this.buffers = new PacketBuffer[size];
    this.freeIds = new int[size];
    for (int i = 0; i < size; i++) {
      freeIds[i] = size - 1 - i;
    }
    this.freeCount = size;
    segment.asSlice(base, bytesNeeded(size)).fill((byte) 0);
    // 2.4.7: we poll, so ask the device not to interrupt.
    segment.set(U16, avail, (short) AVAIL_F_NO_INTERRUPT);
  }

  /**
   * Asks the device to interrupt (or not) when it uses a buffer of this queue: clears or sets
   * VIRTQ_AVAIL_F_NO_INTERRUPT (2.6.7), then a full fence, so that a check of the used ring
   * that follows cannot be reordered before the flag store: a buffer the device uses after the
   * check is then signalled.
   *
   * @param enabled {@code true} to be interrupted
   */
  void enableInterrupts(boolean enabled) {
    segment.set(U16, avail, (short) (enabled ? 0 : AVAIL_F_NO_INTERRUPT));
    VarHandle.fullFence();
  }

  int index() {
    return index;
  }

  int size() {
    return size;
  }

  DmaMemory ring() {
    return ring;
  }

  long descOffset() {
    return desc;
  }

  long availOffset() {
    return avail;
  }

  long usedOffset() {
    return used;
  }

  int freeDescriptors() {
    return freeCount;
  }

  /**
   * Writes descriptor {@code id} (2.4.5): address of {@code offset} in {@code memory}, length,
   * flags, next.
   */
  void writeDescriptor(int id, DmaMemory memory, long offset, int length, int flags, int next) {
    final long d = desc + 16L * id;
    memory.writeBusAddressLe64(iommu, segment, d, offset);
    segment.set(U32, d + 8, length);
    segment.set(U16, d + 12, (short) flags);
    segment.set(U16, d + 14, (short) next);
  }

  /** Puts a descriptor chain head in the next available-ring slot (not yet published). */
  void pushAvailable(int head) {
    segment.set(U16, avail + 4 + 2L * (availIdx & mask), (short) head);
    availIdx = (availIdx + 1) & 0xFFFF;
  }

  /** Gives one buffer to the device in a single descriptor; the caller checked free space. */
  @SuppressWarnings("ownership") // owning container: the buffer is kept until the device returns it
  void addBuffer(@Consumes PacketBuffer buffer, long offset, int length, int flags) {
    final int id = freeIds[--freeCount];
    writeDescriptor(id, buffer.pool().memory(), offset, length, flags, 0);
    buffers[id] = buffer;
    pushAvailable(id);
  }

  /**
   * Gives one buffer to the device in a single device-readable descriptor, for a transmit queue:
   * writes only the address and length. A transmit queue's descriptors never carry flags or a
   * next index (its descriptors are zero from the constructor, and this is the only method that
   * writes them), so those two fields are left as they are: two stores fewer per packet.
   */
  @SuppressWarnings("ownership") // owning container: the buffer is kept until the device returns it
  void addTxBuffer(@Consumes PacketBuffer buffer, long offset, int length) {
    final int id = freeIds[--freeCount];
    final long d = desc + 16L * id;
    buffer.pool().memory().writeBusAddressLe64(iommu, segment, d, offset);
    segment.set(U32, d + 8, length);
    buffers[id] = buffer;
    pushAvailable(id);
  }

  /** Publishes the available index with release semantics (2.4.7.2 step 4). */
  void publish() {
    U16_HANDLE.setRelease(segment, avail + 2, (short) availIdx);
  }

  /** Full fence, then the used ring's NO_NOTIFY flag (2.4.7.2 step 5, 2.4.8.2). */
  boolean needsNotify() {
    VarHandle.fullFence();
    return (segment.get(U16, used) & USED_F_NO_NOTIFY) == 0;
  }

  /** The device's used index, read with acquire semantics. */
  int usedIndex() {
    return (short) U16_HANDLE.getAcquire(segment, used + 2) & 0xFFFF;
  }

  /** Tells whether used elements are pending, given a fresh {@link #usedIndex()}. */
  boolean hasUsed(int usedIndex) {
    return lastUsed != usedIndex;
  }

  /**
   * Takes the next used element (2.4.8): returns its buffer and frees its descriptor. The
   * written length is available from {@link #lastLength()}.
   */
  @SuppressWarnings("ownership") // owning container: the returned buffer leaves the array
  @Owned
  PacketBuffer takeUsedBuffer() {
    final int id = takeUsedId();
    final PacketBuffer buffer = buffers[id];
    if (buffer == null) {
      throw new IllegalStateException("virtqueue " + index + ": device returned unused descriptor " + id);
    }
    buffers[id] = null;
    freeIds[freeCount++] = id;
    return buffer;
  }

  /** Takes the next used element's descriptor id without touching buffer bookkeeping. */
  int takeUsedId() {
    final long element = used + 4 + 8L * (lastUsed & mask);
    final int id = segment.get(U32, element);
    lastLength = segment.get(U32, element + 4);
    lastUsed = (lastUsed + 1) & 0xFFFF;
    if (id < 0 || id >= size) {
      throw new IllegalStateException("virtqueue " + index + ": device returned descriptor id " + id);
    }
    return id;
  }

  int lastLength() {
    return lastLength;
  }

  // ---- virtio-net's use of a queue (5.1.6): transmit and receive buffers ----

  /**
   * Gives packets from the front of {@code batch} to the device while descriptors are free
   * (5.1.6.2): each in one device-readable descriptor that starts {@code headerLength} bytes
   * before its data, at a struct virtio_net_hdr with flags 0 and gso_type
   * VIRTIO_NET_HDR_GSO_NONE. Both checks run while the packet is still in the batch: on error
   * the caller keeps it, and what was queued before it stays queued. The caller then {@link
   * #publish publishes} (also after an error) and counts {@link #movedPackets} and {@link
   * #movedBytes}.
   *
   * @return packets queued
   */
  int sendFrom(PacketBatch batch, DmaSpace space, String device, String consumer, int headerLength) {
    int sent = 0;
    long bytes = 0;
    try {
      // The pool of the packet before, checked already (its pool checks are not repeated).
      MempoolImpl checked = null;
      while (!batch.isEmpty() && freeCount > 0) {
        MempoolImpl.checkReachable(batch.get(0), space, device, checked);
        final PacketBuffer buffer = MempoolImpl.takeForDevice(batch, consumer, checked);
        checked = buffer.pool();
        final int length = buffer.lengthForDevice();
        zeroHeader(buffer.entrySegment(), headerLength);
        addTxBuffer(buffer, buffer.dataOffsetInMemory() - headerLength, headerLength + length);
        bytes += length;
        sent++;
      }
    } finally {
      movedPackets = sent;
      movedBytes = bytes;
    }
    return sent;
  }

  /** struct virtio_net_hdr with flags 0 and gso_type VIRTIO_NET_HDR_GSO_NONE (5.1.6.2). */
  private static void zeroHeader(MemorySegment entry, int headerLength) {
    final long start = MempoolImpl.HEADROOM - headerLength;
    entry.set(ZERO64, start, 0L);
    if (headerLength == 12) {
      entry.set(ZERO32, start + 8, 0);
    } else {
      entry.set(ZERO16, start + 8, (short) 0);
    }
  }

  /** Returns the buffers the device has transmitted to their pools (5.1.6.2.1). */
  void reclaimSent() {
    final int usedIndex = usedIndex();
    while (hasUsed(usedIndex)) {
      final PacketBuffer buffer = takeUsedBuffer();
      buffer.pool().completeFromDevice(buffer);
    }
  }

  /**
   * Hands up to {@code max} received buffers to the application (5.1.6.4): each used buffer's
   * frame follows its {@code headerLength}-byte header; a buffer shorter than a header is
   * returned to its pool and counted in {@link #shortBuffers}. Bytes go to {@link #movedBytes}.
   *
   * @return frames added to {@code batch}
   */
  int receiveInto(PacketBatch batch, int max, int headerLength) {
    final int usedIndex = usedIndex();
    int received = 0;
    int errors = 0;
    long bytes = 0;
    while (received < max && hasUsed(usedIndex)) {
      final PacketBuffer buffer = takeUsedBuffer();
      final int length = lastLength - headerLength;
      if (length < 0) {
        errors++;
        buffer.pool().completeFromDevice(buffer);
        continue;
      }
      batch.add(MempoolImpl.receive(buffer, length));
      bytes += length;
      received++;
    }
    movedBytes = bytes;
    shortBuffers = errors;
    return received;
  }

  /**
   * Gives free buffers of {@code pool} to the device for receiving (5.1.6.3), each in one
   * device-writable descriptor with room for the header and {@code pool}'s packet capacity,
   * until the queue is full or the pool empty. The caller publishes if any were added.
   *
   * @return buffers added
   */
  int refill(MempoolImpl pool, String consumer, int headerLength) {
    final int capacity = pool.packetCapacity();
    int added = 0;
    while (freeCount > 0) {
      final PacketBuffer buffer = pool.allocForDevice(consumer);
      if (buffer == null) {
        break;
      }
      addBuffer(buffer, buffer.dataOffsetInMemory() - headerLength, headerLength + capacity, DESC_F_WRITE);
      added++;
    }
    return added;
  }

  int movedPackets() {
    return movedPackets;
  }

  long movedBytes() {
    return movedBytes;
  }

  int shortBuffers() {
    return shortBuffers;
  }

  /** Takes ownership of a buffer drained from a queue. */
  @FunctionalInterface
  interface BufferSink {
    /**
     * Receives one buffer.
     *
     * @param buffer the buffer, now owned by the sink
     */
    void accept(@Consumes PacketBuffer buffer);
  }

  /** Returns every buffer still given to the device, for close after reset. */
  @SuppressWarnings("ownership") // owning container: each buffer leaves the array for the sink
  void drainBuffers(BufferSink sink) {
    for (int id = 0; id < size; id++) {
      final PacketBuffer buffer = buffers[id];
      if (buffer != null) {
        buffers[id] = null;
        sink.accept(buffer);
      }
    }
  }
}
