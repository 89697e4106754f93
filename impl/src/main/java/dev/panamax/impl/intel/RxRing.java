package dev.panamax.impl.intel;

import dev.panamax.api.PacketBatch;
import dev.panamax.impl.dma.DmaMemory;
import dev.panamax.impl.mempool.MempoolImpl;
import dev.panamax.impl.mempool.PacketBuffer;
import dev.panamax.impl.unsafe.Mmio;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * One receive descriptor ring (8254x SDM 3.2.6, 82576 7.1.4, 82599 7.1.9), legacy or advanced
 * format, one buffer per frame.
 *
 * <p>Ownership of descriptors: the device owns [RDH, RDT); it writes each back with DD set and
 * moves RDH on. The driver keeps {@code next}, the oldest descriptor it has not yet looked at,
 * {@code tail}, the last value written to RDT, and {@code filled}, the end of the descriptors
 * it has put a buffer on. Descriptors in [next, tail) are the device's (posted, possibly already
 * written back); those in [tail, filled) hold a buffer but are not yet given to the device;
 * those in [filled, next) hold no buffer and are refilled from the pool. At most size - 1
 * descriptors are filled, because RDH == RDT means "ring empty" to the device. When the pool is
 * empty the driver still hands received frames to the application but posts nothing new; the
 * device then runs out of descriptors and drops (counted in MPC/RNBC), and receiving resumes as
 * soon as packets are freed.
 *
 * <p>RDT is written once per {@link #freeThreshold()} refilled descriptors, not on every
 * receive call: each RDT write is a trapped register write (in a VM, an exit into the device
 * model), and with small batches it was one per frame. The device loses nothing by it: it still
 * holds at least size - 1 - threshold descriptors, and whenever it holds fewer than the
 * threshold, every filled descriptor is posted at once.
 *
 * <p>Memory ordering: the status word is read with acquire semantics, so the length and the
 * packet bytes read after it are those the device wrote before setting DD. A refilled
 * descriptor is written with plain stores; RDT is then written through {@link Mmio}, a
 * volatile store, which the Java memory model does not reorder before earlier stores (and x86
 * keeps stores in order), so the device never sees a tail that covers a half-written
 * descriptor.
 *
 * <p>Single-threaded; no allocation on the data path.
 */
public final class RxRing extends DescriptorRing {
  /** Receive buffer size programmed into the device (RCTL.BSIZE / SRRCTL.BSIZEPACKET). */
  public static final int BUFFER_SIZE = 2048;

  private static final ValueLayout.OfLong U64 =
      ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfShort U16 =
      ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle U32_HANDLE =
      ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

  /** Refilled descriptors that are posted together with one RDT write (at most). */
  private static final int FREE_THRESHOLD = 32;

  private final MempoolImpl pool;
  private final int freeThreshold;
  private int next;
  private int tail;
  private int filled;
  private boolean discarding;
  private long lastBytes;
  private long errors;

  /**
   * Creates a ring; nothing is written to the device until {@link #program()}.
   *
   * @param registers the device's register window
   * @param queue the queue's register offsets
   * @param format descriptor format
   * @param ringMemory DMA memory holding the descriptors
   * @param base offset of the ring in {@code ringMemory}, 128-byte aligned
   * @param size descriptors, a power of two, at least 8
   * @param pool where receive buffers come from; its entries must hold {@link #BUFFER_SIZE}
   *     bytes after the headroom, so the device can never write past a buffer
   * @param consumer preallocated text naming the ring in ownership messages
   * @param device names the device in messages
   */
  public RxRing(Mmio registers, QueueRegisters queue, DescriptorFormat format, DmaMemory ringMemory,
      long base, int size, MempoolImpl pool, String consumer, String device) {
    super("rx", registers, queue, format, ringMemory, base, size, consumer, device);
    if (pool.packetCapacity() < BUFFER_SIZE) {
      throw new IllegalArgumentException("rx mempool '" + pool.name() + "' holds " + pool.packetCapacity()
          + " bytes per packet; the device may write " + BUFFER_SIZE);
    }
    this.pool = pool;
    this.freeThreshold = Math.min(FREE_THRESHOLD, size / 4);
  }

  /**
   * Programs base, length, head and tail (8254x SDM 14.4, 82576 4.5.9, 82599 4.6.7): the ring
   * is zeroed and empty (RDH = RDT = 0). The queue-enable step and the first {@link #refill()}
   * are the caller's, in the order its datasheet requires.
   */
  public void program() {
    next = 0;
    tail = 0;
    filled = 0;
    programEmpty(queue.rdbal(), queue.rdbah(), queue.rdlen(), queue.rdh(), queue.rdt());
  }

  /**
   * Puts a buffer on every free descriptor the pool can fill, and bumps RDT once if {@link
   * #freeThreshold()} filled descriptors are waiting for it or the device holds fewer than that.
   *
   * @return descriptors posted to the device by this call
   */
  @SuppressWarnings("ownership") // the ring is an owning container of in-flight buffers
  public int refill() {
    int f = filled;
    while (((f + 1) & mask) != next) {
      final PacketBuffer buffer = pool.allocForDevice(consumer);
      if (buffer == null) {
        break;
      }
      buffers[f] = buffer;
      writeReadFormat(f, buffer);
      f = (f + 1) & mask;
    }
    filled = f;
    final int waiting = (f - tail) & mask;
    if (waiting == 0 || (waiting < freeThreshold && ((tail - next) & mask) >= freeThreshold)) {
      return 0;
    }
    tail = f;
    // Volatile MMIO store after the plain descriptor stores above: see the class comment.
    registers.write32(queue.rdt(), f);
    return waiting;
  }

  /**
   * Returns how many refilled descriptors wait for one RDT write: 32, or a quarter of a smaller
   * ring.
   *
   * @return the threshold
   */
  public int freeThreshold() {
    return freeThreshold;
  }

  /** Read format: packet buffer address, then zero (header address / status), clearing DD. */
  private void writeReadFormat(int index, PacketBuffer buffer) {
    final long d = (long) index * DESCRIPTOR_SIZE;
    buffer.pool().memory().writeBusAddressLe64(iommu, ring, d, buffer.dataOffsetInMemory());
    ring.set(U64, d + 8, 0L);
  }

  /**
   * Moves up to {@code max} received frames into {@code batch}, then refills. Frames that
   * span descriptors (not expected: the buffer holds any frame the MAC accepts without jumbo
   * frames enabled) are dropped and counted in {@link #errors()}.
   *
   * @param batch where packets go
   * @param max at most this many
   * @return frames added; their bytes are in {@link #lastBytes()}
   */
  /**
   * Tells whether the device has written back the next descriptor (a packet is waiting).
   *
   * @return {@code true} if {@link #receive} would return a packet or drop an error frame
   */
  public boolean hasReceived() {
    return next != tail && ((int) U32_HANDLE.getAcquire(ring, (long) next * DESCRIPTOR_SIZE
        + format.rxStatusOffset) & DescriptorFormat.STATUS_DD) != 0;
  }

  @SuppressWarnings("ownership") // the ring is an owning container of in-flight buffers
  public int receive(PacketBatch batch, int max) {
    // Before any descriptor is taken: a refused thread leaves the ring as it was.
    pool.checkThread(consumer);
    final int n = Math.min(max, batch.remaining());
    int received = 0;
    long bytes = 0;
    int i = next;
    while (received < n && i != tail) {
      final long d = (long) i * DESCRIPTOR_SIZE;
      final int status = (int) U32_HANDLE.getAcquire(ring, d + format.rxStatusOffset);
      if ((status & DescriptorFormat.STATUS_DD) == 0) {
        break;
      }
      final PacketBuffer buffer = buffers[i];
      if (buffer == null) {
        throw new IllegalStateException(device + ": rx descriptor " + i
            + " written back without a buffer");
      }
      buffers[i] = null;
      i = (i + 1) & mask;
      final boolean eop = (status & DescriptorFormat.STATUS_EOP) != 0;
      if (!eop || discarding) {
        // Part of a multi-descriptor frame: drop all of it, count it once.
        if (!discarding) {
          errors++;
        }
        discarding = !eop;
        pool.completeFromDevice(buffer);
        continue;
      }
      final int length = Short.toUnsignedInt(ring.get(U16, d + format.rxLengthOffset));
      batch.add(MempoolImpl.receive(buffer, length));
      bytes += length;
      received++;
    }
    next = i;
    lastBytes = bytes;
    refill();
    return received;
  }

  /**
   * Returns the bytes of the frames of the last {@link #receive}.
   *
   * @return bytes
   */
  public long lastBytes() {
    return lastBytes;
  }

  /**
   * Returns frames dropped because they spanned descriptors.
   *
   * @return the count
   */
  public long errors() {
    return errors;
  }

  /**
   * Returns the descriptor count.
   *
   * @return ring size
   */
  public int size() {
    return size;
  }

  /**
   * Returns the pool receive buffers are taken from.
   *
   * @return the pool
   */
  public MempoolImpl pool() {
    return pool;
  }

  /**
   * Returns the number of descriptors currently posted to the device (up to RDT).
   *
   * @return posted descriptors
   */
  public int posted() {
    return (tail - next) & mask;
  }

  /**
   * Returns the number of descriptors holding a buffer: those posted and those refilled but
   * not yet posted.
   *
   * @return filled descriptors
   */
  public int filled() {
    return (filled - next) & mask;
  }

  /**
   * Gives every buffer still on the ring, posted or not, back to its pool; call only after the
   * device stopped.
   */
  public void drain() {
    returnBuffers();
    next = tail;
    filled = tail;
  }
}
