package dev.panamax.impl.intel;

import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;
import dev.panamax.impl.dma.DmaMemory;
import dev.panamax.impl.mempool.MempoolImpl;
import dev.panamax.impl.mempool.PacketBuffer;
import dev.panamax.impl.unsafe.Mmio;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * One transmit descriptor ring (8254x SDM 3.3.6, 82576 7.2.2/7.2.3, 82599 7.2.3), legacy or
 * advanced data descriptors, one descriptor per frame with EOP and IFCS set.
 *
 * <p>The device owns [TDH, TDT). The driver keeps {@code clean}, the oldest descriptor whose
 * buffer it has not taken back, and {@code tail}, the last value written to TDT. Status is
 * asked for (RS) on every {@value #RS_INTERVAL}th descriptor of the ring and on the last one of
 * each batch; the device writes DD back only into those (8254x SDM 3.3.3.1 "RS", 82576 7.2.2,
 * 82599 7.2.3.2.4), and descriptors are processed in order, so DD in a reported descriptor means
 * it and every one before it are finished. {@code reports} lists the reported descriptors, oldest
 * first; cleaning takes back the buffers up to each one whose DD is set. One status write-back
 * per {@value #RS_INTERVAL} frames instead of one per frame (the emulated devices write each one
 * into guest memory), and a stop after a partial batch still gets its buffers back. At most
 * size - 1 descriptors are in flight (TDH == TDT means empty).
 *
 * <p>Memory ordering: descriptors are plain stores, followed by one TDT write per batch through
 * {@link Mmio}, a volatile store that is not reordered before them (see {@link RxRing}). DD is
 * read with acquire semantics before the buffer is reused.
 *
 * <p>Single-threaded; no allocation on the data path.
 */
public final class TxRing extends DescriptorRing {
  private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle U32_HANDLE = U32.varHandle();
  /** Byte offset of STA (DD in bit 0) in the transmit write-back, both formats. */
  private static final long STATUS_OFFSET = 12;

  /** Descriptors from one status request (RS) to the next, at most; a power of two. */
  static final int RS_INTERVAL = 32;

  private int clean;
  private int tail;
  /** Indices of the descriptors with RS in flight, oldest first, at reportHead..reportTail-1. */
  private final int[] reports;
  /** Free-running counters into {@code reports} (masked on use). */
  private int reportHead;
  private int reportTail;
  private long lastBytes;
  private int lastSent;

  /**
   * Creates a ring; nothing is written to the device until {@link #program()}.
   *
   * @param registers the device's register window
   * @param queue the queue's register offsets
   * @param format descriptor format
   * @param ringMemory DMA memory holding the descriptors
   * @param base offset of the ring in {@code ringMemory}, 128-byte aligned
   * @param size descriptors, a power of two, at least 8
   * @param consumer preallocated text naming the ring in ownership messages
   * @param device names the device in messages
   */
  public TxRing(Mmio registers, QueueRegisters queue, DescriptorFormat format, DmaMemory ringMemory,
      long base, int size, String consumer, String device) {
    super("tx", registers, queue, format, ringMemory, base, size, consumer, device);
    this.reports = new int[size];
  }

  /**
   * Programs base, length, head and tail (8254x SDM 14.5, 82576 4.5.10, 82599 4.6.8): the ring
   * is zeroed and empty (TDH = TDT = 0).
   */
  public void program() {
    clean = 0;
    tail = 0;
    reportHead = 0;
    reportTail = 0;
    programEmpty(queue.tdbal(), queue.tdbah(), queue.tdlen(), queue.tdh(), queue.tdt());
  }

  /**
   * Returns finished buffers to their pools: for each reported descriptor, oldest first, whose
   * DD the device has written back, every buffer up to and including it.
   *
   * @return buffers returned
   */
  @SuppressWarnings("ownership") // the ring is an owning container of in-flight buffers
  public int clean() {
    int c = clean;
    int cleaned = 0;
    while (reportHead != reportTail) {
      final int reported = reports[reportHead & mask];
      final int status =
          (int) U32_HANDLE.getAcquire(ring, (long) reported * DESCRIPTOR_SIZE + STATUS_OFFSET);
      if ((status & DescriptorFormat.STATUS_DD) == 0) {
        break;
      }
      final int end = (reported + 1) & mask;
      while (c != end) {
        final PacketBuffer buffer = buffers[c];
        if (buffer != null) {
          buffers[c] = null;
          buffer.pool().completeFromDevice(buffer);
        }
        c = (c + 1) & mask;
        cleaned++;
      }
      reportHead++;
    }
    clean = c;
    return cleaned;
  }

  /**
   * Cleans, then moves packets from the front of {@code batch} onto free descriptors and
   * writes TDT once. Packets that do not fit stay in the batch, owned by the caller.
   *
   * @param batch packets to send, all in device-reachable memory
   * @return packets queued; their bytes are in {@link #lastBytes()}
   */
  @SuppressWarnings("ownership") // the ring is an owning container of in-flight buffers
  public int send(PacketBatch batch) {
    clean();
    int t = tail;
    int sent = 0;
    long bytes = 0;
    try {
      // The pool of the packet before, checked already (its pool checks are not repeated).
      MempoolImpl checked = null;
      while (!batch.isEmpty() && ((t + 1) & mask) != clean) {
        // Both checks run while the packet is still in the batch: on error the caller keeps it.
        MempoolImpl.checkReachable(batch.get(0), space, device, checked);
        final PacketBuffer buffer = MempoolImpl.takeForDevice(batch, consumer, checked);
        checked = buffer.pool();
        final int length = buffer.lengthForDevice();
        final boolean report = (t & (RS_INTERVAL - 1)) == RS_INTERVAL - 1;
        writeDataDescriptor(t, buffer, length, report);
        if (report) {
          reports[reportTail++ & mask] = t;
        }
        buffers[t] = buffer;
        t = (t + 1) & mask;
        bytes += length;
        sent++;
      }
    } finally {
      // Also on a refused packet: what was already queued is given to the device.
      if (sent > 0) {
        // The batch's last descriptor asks for status too, unless it did already.
        final int last = (t - 1) & mask;
        if ((last & (RS_INTERVAL - 1)) != RS_INTERVAL - 1) {
          requestStatus(last);
          reports[reportTail++ & mask] = last;
        }
        tail = t;
        // One volatile MMIO store per batch, after the plain descriptor stores.
        registers.write32(queue.tdt(), t);
      }
      lastBytes = bytes;
      lastSent = sent;
    }
    return sent;
  }

  /**
   * Returns the packets queued by the last {@link #send}, also when it threw.
   *
   * @return packets
   */
  public int lastSent() {
    return lastSent;
  }

  /**
   * Data descriptor: address, then length | command (EOP, IFCS, RS if {@code report}, plus
   * DTYP/DEXT in the advanced format), then STA = 0 and, advanced, PAYLEN = length (82599
   * 7.2.3.2.4).
   */
  private void writeDataDescriptor(int index, PacketBuffer buffer, int length, boolean report) {
    final long d = (long) index * DESCRIPTOR_SIZE;
    buffer.pool().memory().writeBusAddressLe64(iommu, ring, d, buffer.dataOffsetInMemory());
    ring.set(U32, d + 8, length | DescriptorFormat.CMD_EOP | DescriptorFormat.CMD_IFCS
        | (report ? DescriptorFormat.CMD_RS : 0) | format.txCommandExtra);
    ring.set(U32, d + 12, format == DescriptorFormat.ADVANCED
        ? length << DescriptorFormat.ADV_PAYLEN_SHIFT : 0);
  }

  /** Sets RS in a descriptor written by this batch and not yet given to the device (no TDT). */
  private void requestStatus(int index) {
    final long cmd = (long) index * DESCRIPTOR_SIZE + 8;
    ring.set(U32, cmd, ring.get(U32, cmd) | DescriptorFormat.CMD_RS);
  }

  /**
   * Returns the bytes of the packets of the last {@link #send}.
   *
   * @return bytes
   */
  public long lastBytes() {
    return lastBytes;
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
   * Returns descriptors given to the device and not yet cleaned.
   *
   * @return in-flight descriptors
   */
  public int inFlight() {
    return (tail - clean) & mask;
  }

  /** Gives every buffer still on the ring back to its pool; call only after the device stopped. */
  public void drain() {
    returnBuffers();
    clean = tail;
    reportHead = reportTail;
  }
}
