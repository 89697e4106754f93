package dev.panamax.impl.ixgbe;

import dev.panamax.impl.dma.DmaMemory;
import dev.panamax.impl.unsafe.Mmio;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import dev.panamax.api.Rss;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A register-level model of the parts of an Intel 82599 that the ixgbe driver relies on, over
 * ordinary native memory standing in for BAR 0 and real hugepage memory for DMA. A background
 * thread (or the test, via {@link #step()}) plays the device:
 *
 * <ul>
 *   <li>CTRL.RST / CTRL.LRST: when set, every register returns to its reset value (8.2.3.1.1)
 *       and the bits clear themselves a few steps later; EEC.ARD (EEPROM auto-read done) and
 *       RDRXCTL.DMAIDONE come up some steps after that (4.6.3).
 *   <li>AUTOC.Restart_AN: self-clears, and some steps later LINKS reports link up at 10 Gb/s if
 *       AUTOC.LMS selects 10 GbE serial.
 *   <li>RXDCTL.ENABLE / TXDCTL.ENABLE: once the model sees a written 1 it clears the bit and sets
 *       it again a few steps later, when the queue is enabled and the ring base and length are
 *       latched (4.6.7/4.6.8: software polls until the bit reads 1). Plain memory cannot hide
 *       the driver's own write, so a driver that polls before the model's next step reads its
 *       1 at once; the model therefore cannot check that RDT is written only after enabling.
 *   <li>Transmit (7.2.3): with TXDCTL.ENABLE and DMATXCTL.TE, descriptors from TDH to TDT are
 *       fetched, their frames read from DMA memory, DD written back for descriptors with RS,
 *       TDH advanced; GPTC/GOTC count them.
 *   <li>Queues: each of the first {@value #QUEUES} receive and transmit queues (registers at
 *       +0x40 per queue) is enabled, latched and served on its own.
 *   <li>RSS (7.1.2.8): with MRQC.MRQE = 0001b, an IPv4 frame is hashed with the Toeplitz
 *       function over the key in RSSRK (source and destination address, plus the ports for TCP
 *       or UDP when MRQC enables that field), and the RETA entry at the hash's low 7 bits picks
 *       the receive queue; other frames go to queue 0.
 *   <li>Receive (7.1): frames given to {@link #inject} are filtered (FCTRL.UPE/MPE/BAM, RAL/RAH),
 *       written into the buffers of descriptors from RDH up to RDT (split over several if longer
 *       than SRRCTL.BSIZEPACKET), written back with PKT_LEN, DD and EOP, RDH advanced; with no
 *       free descriptor the frame is missed (MPC). GPRC/GORC count delivered frames.
 *   <li>Octet counters include the 4-byte FCS, as the datasheet defines them (8.2.3.23).
 *   <li>Statistics registers only grow; plain memory cannot observe a load, so clear-on-read is
 *       emulated at the points where the test calls {@link #clearCountersAfterRead()}.
 * </ul>
 *
 * <p>Whatever the driver does that the datasheet forbids and the model can see is recorded in
 * {@link #violations()}.
 */
final class Ixgbe82599Model implements AutoCloseable {
  static final long BAR_SIZE = 0x20000;
  /** 52:54:00:12:34:56, packed as RAL/RAH hold it: octet 0 in the low byte. */
  static final long MAC = 0x5634_1200_5452L;

  // Register offsets not in Ixgbe (test-side knowledge of the datasheet).
  static final int CTRL = 0x00000;
  static final int CTRL_RST = 1 << 26;
  static final int GPRC = 0x04074;
  static final int GPTC = 0x04080;
  static final int GORCL = 0x04088;
  static final int GOTCL = 0x04090;
  static final int MRQC = 0x0EC80;
  static final int RSSRK0 = 0x0EB80;
  static final int RETA0 = 0x0EB00;
  /** Queues the model serves each way. */
  static final int QUEUES = 16;
  private static final int STRIDE = 0x40;

  private static final VarHandle U32 =
      ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
  private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final long HUGEPAGE = 2L << 20;

  private final MemorySegment bar;
  private final Mmio mmio;
  private final List<long[]> pages = new ArrayList<>();
  private final List<MemorySegment> pageSegments = new ArrayList<>();
  private final ArrayDeque<byte[]> pendingRx = new ArrayDeque<>();
  private final List<byte[]> transmitted = Collections.synchronizedList(new ArrayList<>());
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  /** Transmit descriptor indices that asked for status (RS), in the order processed. */
  private final List<Integer> statusRequests = Collections.synchronizedList(new ArrayList<>());

  private volatile boolean eepromBroken;
  private volatile boolean running;
  private Thread thread;

  // Device-side state; touched only under the lock of step().
  private int resetCountdown = -1;
  private int eecCountdown = -1;
  private int dmaCountdown = -1;
  private int linkCountdown = -1;
  private final int[] rxEnableCountdown = new int[QUEUES];
  private final int[] txEnableCountdown = new int[QUEUES];
  private final boolean[] rxEnabled = new boolean[QUEUES];
  private final boolean[] txEnabled = new boolean[QUEUES];
  private final long[] rxBase = new long[QUEUES];
  private final int[] rxLength = new int[QUEUES];
  private final long[] txBase = new long[QUEUES];
  private final int[] txLength = new int[QUEUES];
  private final long[] rxQueueFrames = new long[QUEUES];
  private long gprc;
  private long gptc;
  private long gorc;
  private long gotc;
  private long missed;
  private int resets;
  private long steps;

  Ixgbe82599Model(Arena arena) {
    this.bar = arena.allocate(BAR_SIZE, 4096);
    this.mmio = new Mmio(bar);
    Arrays.fill(rxEnableCountdown, -1);
    Arrays.fill(txEnableCountdown, -1);
    powerOn();
  }

  /**
   * Lets the model reach DMA memory: finds the bus address of every 2 MiB page of {@code memory}
   * by asking it to write the address of each page start into a scratch segment.
   */
  void attach(DmaMemory memory) {
    final MemorySegment scratch = Arena.ofAuto().allocate(8, 8);
    for (long offset = 0; offset < memory.size(); offset += HUGEPAGE) {
      memory.writeBusAddressLe64(false, scratch, 0, offset);
      final long bus = scratch.get(U64, 0);
      synchronized (this) {
        pages.add(new long[] {bus, Math.min(HUGEPAGE, memory.size() - offset)});
        pageSegments.add(memory.segment().asSlice(offset, Math.min(HUGEPAGE, memory.size() - offset)));
      }
    }
  }

  Mmio registers() {
    return mmio;
  }

  /** Makes EEC.ARD never come up, to test the driver's timeout path. */
  void breakEeprom() {
    eepromBroken = true;
  }

  /** Starts a thread that steps the model continuously. */
  Ixgbe82599Model startThread() {
    running = true;
    thread = Thread.ofPlatform().daemon().name("82599-model").start(() -> {
      while (running) {
        step();
        Thread.onSpinWait();
      }
    });
    return this;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    if (thread != null) {
      thread.join(5000);
    }
  }

  // ---- register helpers ----

  private int reg(int offset) {
    return (int) U32.getVolatile(bar, (long) offset);
  }

  private void set(int offset, int value) {
    U32.setVolatile(bar, (long) offset, value);
  }

  private void powerOn() {
    bar.fill((byte) 0);
    set(Ixgbe.RAL0, (int) MAC);
    set(Ixgbe.RAL0 + 4, (int) (MAC >>> 32) | (1 << 31));
    set(Ixgbe.EEC, Ixgbe.EEC_ARD);
    set(Ixgbe.RDRXCTL, Ixgbe.RDRXCTL_DMAIDONE);
    set(Ixgbe.RXPBSIZE0, Ixgbe.RXPBSIZE_512K);
    set(Ixgbe.TXPBSIZE0, Ixgbe.TXPBSIZE_160K);
  }

  // ---- the device ----

  /** One step of the device: control-register state machines, then transmit, then receive. */
  synchronized void step() {
    steps++;
    control();
    if (resetCountdown >= 0) {
      return;
    }
    transmit();
    receive();
  }

  private void control() {
    final int ctrl = reg(CTRL);
    if (resetCountdown < 0 && (ctrl & (CTRL_RST | Ixgbe.CTRL_LRST)) != 0) {
      // 4.6.3.2: global reset. Registers return to defaults; RST/LRST stay set while it runs.
      resets++;
      bar.fill((byte) 0);
      set(CTRL, ctrl);
      set(Ixgbe.RAL0, (int) MAC);
      set(Ixgbe.RAL0 + 4, (int) (MAC >>> 32) | (1 << 31));
      set(Ixgbe.RXPBSIZE0, Ixgbe.RXPBSIZE_512K);
      set(Ixgbe.TXPBSIZE0, Ixgbe.TXPBSIZE_160K);
      Arrays.fill(rxEnabled, false);
      Arrays.fill(txEnabled, false);
      Arrays.fill(rxEnableCountdown, -1);
      Arrays.fill(txEnableCountdown, -1);
      linkCountdown = -1;
      gprc = gptc = gorc = gotc = missed = 0;
      resetCountdown = 20;
      return;
    }
    if (resetCountdown > 0) {
      resetCountdown--;
      return;
    }
    if (resetCountdown == 0) {
      set(CTRL, reg(CTRL) & ~(CTRL_RST | Ixgbe.CTRL_LRST));
      resetCountdown = -1;
      eecCountdown = 10;
      dmaCountdown = 15;
    }
    eecCountdown = countdown(eecCountdown, () -> {
      if (!eepromBroken) {
        set(Ixgbe.EEC, reg(Ixgbe.EEC) | Ixgbe.EEC_ARD);
      }
    });
    dmaCountdown = countdown(dmaCountdown,
        () -> set(Ixgbe.RDRXCTL, reg(Ixgbe.RDRXCTL) | Ixgbe.RDRXCTL_DMAIDONE));
    // AUTOC.Restart_AN self-clears; the link comes up later if LMS says 10 GbE serial.
    final int autoc = reg(Ixgbe.AUTOC);
    if ((autoc & Ixgbe.AUTOC_AN_RESTART) != 0) {
      set(Ixgbe.AUTOC, autoc & ~Ixgbe.AUTOC_AN_RESTART);
      set(Ixgbe.LINKS, 0);
      linkCountdown = (autoc & Ixgbe.AUTOC_LMS_MASK) == Ixgbe.AUTOC_LMS_10G_SERIAL ? 30 : -1;
    }
    linkCountdown = countdown(linkCountdown, () -> set(Ixgbe.LINKS, Ixgbe.LINKS_UP | (3 << 28)));
    // Queue enables: a written 1 reads 0 until the queue is really on.
    for (int q = 0; q < QUEUES; q++) {
      final int queue = q;
      final int rxdctlOffset = Ixgbe.RXDCTL0 + STRIDE * q;
      final int rxdctl = reg(rxdctlOffset);
      if (!rxEnabled[q] && rxEnableCountdown[q] < 0 && (rxdctl & Ixgbe.XDCTL_ENABLE) != 0) {
        set(rxdctlOffset, rxdctl & ~Ixgbe.XDCTL_ENABLE);
        rxEnableCountdown[q] = 5;
      }
      rxEnableCountdown[q] = countdown(rxEnableCountdown[q], () -> enableRx(queue));
      final int txdctlOffset = Ixgbe.TXDCTL0 + STRIDE * q;
      final int txdctl = reg(txdctlOffset);
      if (!txEnabled[q] && txEnableCountdown[q] < 0 && (txdctl & Ixgbe.XDCTL_ENABLE) != 0) {
        set(txdctlOffset, txdctl & ~Ixgbe.XDCTL_ENABLE);
        txEnableCountdown[q] = 5;
      }
      txEnableCountdown[q] = countdown(txEnableCountdown[q], () -> enableTx(queue));
      if (rxEnabled[q] && (reg(rxdctlOffset) & Ixgbe.XDCTL_ENABLE) == 0) {
        rxEnabled[q] = false;
      }
      if (txEnabled[q] && (reg(txdctlOffset) & Ixgbe.XDCTL_ENABLE) == 0) {
        txEnabled[q] = false;
      }
    }
  }

  private static int countdown(int value, Runnable action) {
    if (value > 0) {
      return value - 1;
    }
    if (value == 0) {
      action.run();
    }
    return -1;
  }

  private void enableRx(int q) {
    final int rdbal = Ixgbe.RDBAL0 + STRIDE * q;
    rxBase[q] = Integer.toUnsignedLong(reg(rdbal)) | ((long) reg(rdbal + 4) << 32);
    rxLength[q] = reg(rdbal + 8);
    if ((rxBase[q] & 127) != 0 || rxLength[q] == 0 || rxLength[q] % 128 != 0) {
      violations.add(String.format("rx queue %d enabled with RDBA 0x%x RDLEN %d", q, rxBase[q], rxLength[q]));
    }
    final int srrctl = reg(Ixgbe.SRRCTL0 + STRIDE * q);
    if ((srrctl & (7 << 25)) != Ixgbe.SRRCTL_DESCTYPE_ADV_ONEBUF || (srrctl & 0x1F) == 0) {
      violations.add(String.format("rx queue %d enabled with SRRCTL 0x%08x", q, srrctl));
    }
    rxEnabled[q] = true;
    set(Ixgbe.RXDCTL0 + STRIDE * q, reg(Ixgbe.RXDCTL0 + STRIDE * q) | Ixgbe.XDCTL_ENABLE);
  }

  private void enableTx(int q) {
    final int tdbal = Ixgbe.TDBAL0 + STRIDE * q;
    txBase[q] = Integer.toUnsignedLong(reg(tdbal)) | ((long) reg(tdbal + 4) << 32);
    txLength[q] = reg(tdbal + 8);
    if ((txBase[q] & 127) != 0 || txLength[q] == 0 || txLength[q] % 128 != 0) {
      violations.add(String.format("tx queue %d enabled with TDBA 0x%x TDLEN %d", q, txBase[q], txLength[q]));
    }
    if ((reg(Ixgbe.DMATXCTL) & Ixgbe.DMATXCTL_TE) == 0) {
      violations.add("TXDCTL.ENABLE set before DMATXCTL.TE (4.6.8)");
    }
    txEnabled[q] = true;
    set(Ixgbe.TXDCTL0 + STRIDE * q, reg(Ixgbe.TXDCTL0 + STRIDE * q) | Ixgbe.XDCTL_ENABLE);
  }

  // ---- DMA ----

  private MemorySegment dma(long bus, long length) {
    for (int i = 0; i < pages.size(); i++) {
      final long[] page = pages.get(i);
      if (bus >= page[0] && bus + length <= page[0] + page[1]) {
        return pageSegments.get(i).asSlice(bus - page[0], length);
      }
    }
    throw new IllegalStateException(String.format(
        "DMA to 0x%x (+%d) outside every attached memory page", bus, length));
  }

  private void transmit() {
    if ((reg(Ixgbe.DMATXCTL) & Ixgbe.DMATXCTL_TE) == 0) {
      return;
    }
    for (int q = 0; q < QUEUES; q++) {
      if (txEnabled[q]) {
        transmit(q);
      }
    }
    publishCounters();
  }

  private void transmit(int q) {
    final int tdbal = Ixgbe.TDBAL0 + STRIDE * q;
    final int size = txLength[q] / 16;
    int head = reg(tdbal + 0x10);
    final int tail = reg(tdbal + 0x18);
    if (tail < 0 || tail >= size) {
      violations.add("TDT " + tail + " outside ring of " + size);
      return;
    }
    while (head != tail) {
      final MemorySegment d = dma(txBase[q] + 16L * head, 16);
      final long address = d.get(U64, 0);
      final int cmd = d.get(I32, 8);
      final int length = cmd & 0xFFFF;
      if ((cmd & (0xF << 20)) != (0x3 << 20) || (cmd & (1 << 29)) == 0) {
        violations.add(String.format("tx descriptor %d is not an advanced data descriptor: 0x%08x", head, cmd));
      }
      if ((cmd & (1 << 24)) == 0 || (cmd & (1 << 25)) == 0) {
        violations.add(String.format("tx descriptor %d without EOP/IFCS: 0x%08x", head, cmd));
      }
      if ((d.get(I32, 12) >>> 14) != length) {
        violations.add("tx descriptor " + head + ": PAYLEN " + (d.get(I32, 12) >>> 14) + " != " + length);
      }
      final byte[] frame = dma(address, length).toArray(ValueLayout.JAVA_BYTE);
      transmitted.add(frame);
      gptc++;
      gotc += length + 4;
      if ((cmd & (1 << 27)) != 0) {
        statusRequests.add(head);
        // 7.2.3.2.4 write-back: STA.DD; the rest of the descriptor is not meaningful.
        d.set(I32, 8, 0);
        VarHandle.releaseFence();
        d.set(I32, 12, 1);
      }
      head = (head + 1) % size;
      set(tdbal + 0x10, head);
    }
  }

  /** Queues a frame as if it arrived on the wire. */
  void inject(byte[] frame) {
    synchronized (pendingRx) {
      pendingRx.add(frame.clone());
    }
  }

  int pendingRx() {
    synchronized (pendingRx) {
      return pendingRx.size();
    }
  }

  private boolean accepted(byte[] frame) {
    final int fctrl = reg(Ixgbe.FCTRL);
    long dst = 0;
    for (int i = 0; i < 6; i++) {
      dst |= (frame[i] & 0xFFL) << (8 * i);
    }
    if (dst == 0xFFFF_FFFF_FFFFL) {
      return (fctrl & Ixgbe.FCTRL_BAM) != 0;
    }
    if ((frame[0] & 1) != 0) {
      return (fctrl & Ixgbe.FCTRL_MPE) != 0;
    }
    final long ours = Integer.toUnsignedLong(reg(Ixgbe.RAL0)) | ((long) (reg(Ixgbe.RAL0 + 4) & 0xFFFF) << 32);
    return dst == ours || (fctrl & Ixgbe.FCTRL_UPE) != 0;
  }

  /**
   * 7.1.2.8: the receive queue of a frame. With RSS on, an IPv4 frame's Toeplitz hash (over
   * addresses, plus ports for TCP/UDP if MRQC enables that field) indexes RETA; other frames,
   * and every frame without RSS, go to queue 0.
   */
  private int queueOf(byte[] frame) {
    final int mrqc = reg(MRQC);
    if ((mrqc & 0xF) != 1 || frame.length < 34 || frame[12] != 0x08 || frame[13] != 0x00) {
      return 0;
    }
    final int headerLength = (frame[14] & 0x0F) * 4;
    final int protocol = frame[23] & 0xFF;
    final boolean ports = frame.length >= 14 + headerLength + 4
        && (protocol == 6 && (mrqc & (1 << 16)) != 0 || protocol == 17 && (mrqc & (1 << 22)) != 0);
    if (!ports && (mrqc & (1 << 17)) == 0) {
      return 0;
    }
    final byte[] input = new byte[ports ? 12 : 8];
    System.arraycopy(frame, 26, input, 0, 8);
    if (ports) {
      System.arraycopy(frame, 14 + headerLength, input, 8, 4);
    }
    final byte[] key = new byte[40];
    for (int i = 0; i < 10; i++) {
      final int word = reg(RSSRK0 + 4 * i);
      for (int b = 0; b < 4; b++) {
        key[4 * i + b] = (byte) (word >>> (8 * b));
      }
    }
    final int index = Rss.toeplitz(key, input) & 127;
    return (reg(RETA0 + 4 * (index >> 2)) >>> (8 * (index & 3))) & 0xF;
  }

  private void receive() {
    if ((reg(Ixgbe.RXCTRL) & Ixgbe.RXCTRL_RXEN) == 0) {
      return;
    }
    while (true) {
      final byte[] frame;
      synchronized (pendingRx) {
        frame = pendingRx.poll();
      }
      if (frame == null) {
        break;
      }
      if (!accepted(frame)) {
        continue;
      }
      final int q = queueOf(frame);
      if (!rxEnabled[q]) {
        missed++;
        violations.add("frame for receive queue " + q + ", which is not enabled");
        continue;
      }
      final int rdbal = Ixgbe.RDBAL0 + STRIDE * q;
      final int size = rxLength[q] / 16;
      final int bufferSize = (reg(Ixgbe.SRRCTL0 + STRIDE * q) & 0x1F) * 1024;
      int head = reg(rdbal + 0x10);
      final int tail = reg(rdbal + 0x18);
      final int needed = Math.max(1, (frame.length + bufferSize - 1) / bufferSize);
      final int available = Math.floorMod(tail - head, size);
      if (available < needed) {
        // No free descriptor: the frame is missed (MPC, 8.2.3.23.4).
        missed++;
        continue;
      }
      for (int part = 0; part < needed; part++) {
        final int from = part * bufferSize;
        final int length = Math.min(bufferSize, frame.length - from);
        final MemorySegment d = dma(rxBase[q] + 16L * head, 16);
        final long address = d.get(U64, 0);
        MemorySegment.copy(MemorySegment.ofArray(frame), from, dma(address, length), 0, length);
        // 7.1.6.2 write-back: RSS/type dword 0-1 zero, extended status/error at 8 (DD, EOP),
        // PKT_LEN at 12, VLAN at 14. Status last, after a release fence.
        d.set(U64, 0, 0L);
        d.set(I16, 12, (short) length);
        d.set(I16, 14, (short) 0);
        VarHandle.releaseFence();
        d.set(I32, 8, 1 | (part == needed - 1 ? 2 : 0));
        head = (head + 1) % size;
        set(rdbal + 0x10, head);
      }
      rxQueueFrames[q]++;
      gprc++;
      gorc += frame.length + 4;
    }
    publishCounters();
  }

  private void publishCounters() {
    set(GPRC, (int) gprc);
    set(GPTC, (int) gptc);
    set(GORCL, (int) gorc);
    set(GORCL + 4, (int) (gorc >>> 32));
    set(GOTCL, (int) gotc);
    set(GOTCL + 4, (int) (gotc >>> 32));
    set(Ixgbe.MPC0, (int) missed);
  }

  /** Emulates clear-on-read after the test made the driver read the statistics registers. */
  synchronized void clearCountersAfterRead() {
    gprc = gptc = gorc = gotc = missed = 0;
    publishCounters();
  }

  List<byte[]> transmitted() {
    synchronized (transmitted) {
      return List.copyOf(transmitted);
    }
  }

  List<Integer> statusRequests() {
    synchronized (statusRequests) {
      return List.copyOf(statusRequests);
    }
  }

  List<String> violations() {
    synchronized (violations) {
      return List.copyOf(violations);
    }
  }

  synchronized int resets() {
    return resets;
  }

  synchronized boolean rxEnabled() {
    return rxEnabled[0];
  }

  synchronized boolean txEnabled() {
    return txEnabled[0];
  }

  synchronized boolean rxEnabled(int queue) {
    return rxEnabled[queue];
  }

  synchronized boolean txEnabled(int queue) {
    return txEnabled[queue];
  }

  /** Frames the model delivered to receive queue {@code queue}. */
  synchronized long rxQueueFrames(int queue) {
    return rxQueueFrames[queue];
  }

  int register(int offset) {
    return reg(offset);
  }
}
