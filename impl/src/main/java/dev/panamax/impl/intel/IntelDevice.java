package dev.panamax.impl.intel;

import org.jspecify.annotations.Nullable;
import dev.panamax.impl.device.InterruptLine;
import dev.panamax.api.DeviceException;
import dev.panamax.api.LinkStatus;
import dev.panamax.api.MacAddress;
import dev.panamax.api.PacketBatch;
import dev.panamax.impl.device.BaseDevice;
import dev.panamax.impl.observe.QueueFigures;
import dev.panamax.impl.unsafe.Mmio;
import dev.panamax.api.QueueStats;
import dev.panamax.api.Rss;
import dev.panamax.impl.device.QueueCounters;
import dev.panamax.impl.mempool.MempoolImpl;
import java.io.PrintStream;
import java.util.function.IntFunction;
import java.nio.charset.StandardCharsets;

/**
 * The part of the e1000, igb and ixgbe drivers that does not depend on the family: receive and
 * transmit rings (one per queue), per-queue software counters, statistics register totals, and
 * close. Families supply the init sequence, reset, link status, promiscuous mode, register
 * offsets and, with several receive queues, RSS.
 *
 * <p>Threads: each queue is used by one thread (checked by {@link BaseDevice}); receive queue
 * {@code q} refills from its own pool {@code rxPools[q]}. The counters are {@link QueueCounters}:
 * one cache line per queue, written by its thread, read by any.
 */
public abstract class IntelDevice extends BaseDevice {

  /** Device Control, same offset in all three families. */
  protected static final int CTRL = 0x0000;
  /** Device Status. */
  protected static final int STATUS = 0x0008;
  /** Interrupt Cause Read (read-to-clear), Mask Set, Mask Clear: 8254x SDM 13.4.17-21, 82576 8.8. */
  protected static final int ICR = 0x00C0;
  protected static final int IMS = 0x00D0;
  protected static final int IMC = 0x00D8;
  /** CTRL.RST: device reset, self-clearing (8254x SDM 13.4.1, 82576 8.2.1, 82599 8.2.3.1.1). */
  protected static final int CTRL_RST = 1 << 26;

  private static final long POLL_TIMEOUT_NS = 2_000_000_000L;
  /** System property: when set, close prints the statistics register totals to stderr. */
  private static final String HWSTATS_PROPERTY = "panamax.hwstats";

  /** BAR 0. */
  protected final Mmio registers;
  /** Receive queue 0's ring (the only one of the e1000). */
  protected final RxRing rx;
  /** Transmit queue 0's ring. */
  protected final TxRing tx;
  /** Every receive ring, by queue. */
  protected final RxRing[] rxRings;
  /** Every transmit ring, by queue. */
  protected final TxRing[] txRings;
  /** Per-queue software counters. */
  private final QueueCounters queueCounters;
  /** The statistics register totals. */
  protected final HardwareCounters counters;
  private final Hardware hardware;
  private @Nullable InterruptLine interrupt;
  private boolean interruptOpened;
  private final int ralOffset;
  private MacAddress mac = new MacAddress(0);
  private boolean promiscuous;

  /**
   * Creates the device object; touches no register.
   *
   * @param hardware registers, memory and hooks
   * @param driverName family name
   * @param format descriptor format of both rings
   * @param queues each queue's register offsets
   * @param stats statistics register offsets
   * @param ralOffset offset of RAL(0) (RAH(0) at +4)
   * @param ringSize descriptors per ring, from {@link Hardware#ringSize}
   * @param txQueues transmit queues; there is a receive queue per pool of {@code hardware}
   */
  protected IntelDevice(Hardware hardware, String driverName, DescriptorFormat format,
      IntFunction<QueueRegisters> queues, StatsRegisters stats, int ralOffset, int ringSize,
      int txQueues) {
    super(hardware.address(), driverName, hardware.rxPools().size(), txQueues);
    this.hardware = hardware;
    this.registers = hardware.registers();
    this.ralOffset = ralOffset;
    final String address = hardware.address();
    final int rxQueues = hardware.rxPools().size();
    this.rxRings = new RxRing[rxQueues];
    for (int q = 0; q < rxQueues; q++) {
      rxRings[q] = new RxRing(registers, queues.apply(q), format, hardware.ringMemory(),
          Hardware.rxRingOffset(q), ringSize, hardware.rxPools().get(q),
          q == 0 ? "rx ring of " + address : "rx ring " + q + " of " + address, address);
    }
    this.txRings = new TxRing[txQueues];
    for (int q = 0; q < txQueues; q++) {
      txRings[q] = new TxRing(registers, queues.apply(q), format, hardware.ringMemory(),
          Hardware.txRingOffset(q), ringSize,
          q == 0 ? "txBatch on " + address : "txBatch on " + address + " queue " + q, address);
    }
    this.rx = rxRings[0];
    this.tx = txRings[0];
    this.queueCounters = new QueueCounters(address, Math.max(rxQueues, txQueues));
    this.counters = new HardwareCounters(registers, stats);
  }

  // ---- init helpers for the families ----

  /**
   * Reads the MAC address the EEPROM auto-load put into RAL(0)/RAH(0) (8254x SDM 13.5.2,
   * 82576 8.10.9, 82599 8.2.3.7.9): RAL holds octets 0-3, RAH octets 4-5 and Address Valid in
   * bit 31.
   */
  protected final void readMacAddress() {
    final int low = registers.read32(ralOffset);
    final int high = registers.read32(ralOffset + 4);
    if ((high & (1 << 31)) == 0) {
      throw new DeviceException(address(), "read MAC address", String.format(
          "RAH(0) = 0x%08x has Address Valid clear: no MAC address was loaded", high));
    }
    final byte[] octets = new byte[6];
    for (int i = 0; i < 4; i++) {
      octets[i] = (byte) (low >>> (8 * i));
    }
    octets[4] = (byte) high;
    octets[5] = (byte) (high >>> 8);
    mac = MacAddress.of(octets);
    if (mac.isMulticast()) {
      throw new DeviceException(address(), "read MAC address", mac + " is a multicast address");
    }
  }

  /**
   * Polls until {@code (register & mask) == expected} or two seconds pass.
   *
   * @param step names the init step in the exception
   * @param register register offset
   * @param mask bits to look at
   * @param expected wanted value of those bits
   */
  protected final void waitFor(String step, int register, int mask, int expected) {
    final long deadline = System.nanoTime() + POLL_TIMEOUT_NS;
    int value;
    while (((value = registers.read32(register)) & mask) != expected) {
      if (System.nanoTime() - deadline > 0) {
        throw new DeviceException(address(), step, String.format(
            "register 0x%05x = 0x%08x: bits 0x%08x did not become 0x%08x within %d ms",
            register, value, mask, expected, POLL_TIMEOUT_NS / 1_000_000));
      }
      Thread.onSpinWait();
    }
  }

  /**
   * Polls until {@code (register & mask) == expected} or {@code millis} pass, without failing.
   *
   * @param register register offset
   * @param mask bits to look at
   * @param expected wanted value of those bits
   * @param millis how long to wait
   * @return whether the bits reached the value
   */
  protected final boolean poll(int register, int mask, int expected, long millis) {
    final long deadline = System.nanoTime() + millis * 1_000_000L;
    while ((registers.read32(register) & mask) != expected) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.onSpinWait();
    }
    return true;
  }

  /**
   * Sleeps, for the delays the datasheets ask for after a reset.
   *
   * @param millis milliseconds
   */
  protected static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during device initialisation", e);
    }
  }

  /**
   * Waits up to {@code millis} for the link to come up; never fails (a device with its link
   * down still opens, and {@link #linkStatus()} tells).
   *
   * @param millis how long to wait
   */
  protected final void awaitLink(long millis) {
    final long deadline = System.nanoTime() + millis * 1_000_000L;
    while (!linkStatus().up() && System.nanoTime() - deadline < 0) {
      sleepMillis(10);
    }
  }

  /**
   * Writes the RSS key and redirection table, laid out the same in the 82576 (RSSRK and RETA,
   * receive registers 8.10) and the 82599 (RSSRK and RETA, 8.2.3.7): the 40-byte key in ten registers,
   * four bytes each with byte 0 in bits 7:0; the 128 entries in 32 registers, four each with
   * entry 0 in bits 7:0, each entry's queue number in its low bits.
   *
   * @param rss key and table
   * @param rssrk0 offset of RSSRK(0)
   * @param reta0 offset of RETA(0)
   */
  protected final void writeRssTables(Rss rss, int rssrk0, int reta0) {
    final byte[] key = rss.key();
    for (int i = 0; i < Rss.KEY_LENGTH / 4; i++) {
      registers.write32(rssrk0 + 4 * i, (key[4 * i] & 0xFF) | (key[4 * i + 1] & 0xFF) << 8
          | (key[4 * i + 2] & 0xFF) << 16 | (key[4 * i + 3] & 0xFF) << 24);
    }
    for (int i = 0; i < Rss.TABLE_SIZE / 4; i++) {
      registers.write32(reta0 + 4 * i, rss.tableEntry(4 * i) | rss.tableEntry(4 * i + 1) << 8
          | rss.tableEntry(4 * i + 2) << 16 | rss.tableEntry(4 * i + 3) << 24);
    }
  }

  /** Lets the device master the bus; called by families once rings are programmed. */
  protected final void enableBusMaster() {
    hardware.enableBusMaster().run();
  }

  /**
   * Sets or clears bits of a register (read-modify-write).
   *
   * @param register offset
   * @param set bits to set
   * @param clear bits to clear
   */
  protected final void modify(int register, int set, int clear) {
    registers.write32(register, (registers.read32(register) & ~clear) | set);
  }

  /** Stops all DMA: the family's reset. Called on close and on a failed open. */
  protected abstract void resetDevice();

  /**
   * Reads the family's link-up bit (STATUS.LU on the 8254x and 82576, LINKS.Link_Up on the
   * 82599), without allocating.
   *
   * @return whether the link is up
   */
  protected abstract boolean linkUpBit();

  /**
   * A device that left the bus answers register reads with all ones on a real bus, and with
   * zeros in an emulator that unmapped its BAR; a working one never reads STATUS as all ones
   * (8254x SDM 13.4.2, 82576 8.2.2 and 82599 8.2.3.1.2 have reserved bits that read 0) and keeps
   * Address Valid (bit 31) set in RAH(0), which open checked. Either sign means it is gone.
   */
  @Override
  protected final boolean probeLink() {
    final int status = registers.read32(STATUS);
    final int rah = registers.read32(ralOffset + 4);
    if (status == -1) {
      deviceGone("STATUS reads 0xffffffff");
      return false;
    }
    if ((rah & (1 << 31)) == 0) {
      deviceGone(String.format("RAH(0) reads 0x%08x: Address Valid is clear", rah));
      return false;
    }
    return linkUpBit();
  }

  /**
   * Writes the promiscuous bits (unicast and multicast) of the family's filter register.
   *
   * @param enabled on or off
   */
  protected abstract void writePromiscuous(boolean enabled);

  /**
   * Decodes STATUS.LU (bit 1) and STATUS.SPEED (bits 7:6) of the 8254x (SDM 13.4.2) and the
   * 82576 (8.2.2): 00b 10, 01b 100, 1xb 1000 Mbit/s.
   *
   * @param status the STATUS register
   * @return the link
   */
  protected static LinkStatus linkFromStatus(int status) {
    if ((status & (1 << 1)) == 0) {
      return LinkStatus.DOWN;
    }
    return switch ((status >>> 6) & 3) {
      case 0 -> new LinkStatus(true, 10);
      case 1 -> new LinkStatus(true, 100);
      default -> new LinkStatus(true, 1000);
    };
  }

  // ---- data path ----

  @Override
  public final int rxBatch(int queue, PacketBatch batch, int max) {
    checkRxBatch(queue, batch, max);
    watch();
    final RxRing ring = rxRings[queue];
    final long errorsBefore = ring.errors();
    final int received = ring.receive(batch, max);
    queueCounters.received(queue, received, ring.lastBytes(), ring.errors() - errorsBefore);
    return received;
  }

  /**
   * The interrupt cause that signals a received packet in ICR/IMS/IMC (0x00C0/0x00D0/0x00D8 in
   * the 8254x and the 82576), or 0 if the family does not wait on interrupts here.
   *
   * @return the cause bit
   */
  protected int rxInterruptCause() {
    return 0;
  }

  /**
   * Sleeps on the receive interrupt when the device has one (VFIO): clears stale causes (ICR is
   * read-to-clear), checks the ring, unmasks the receive cause in IMS, sleeps, masks it again in
   * IMC, clears ICR and re-arms the line. A packet that arrives between the check and the IMS
   * write sets its cause in ICR, which fires as soon as IMS allows it, so no packet is slept
   * through. Without an interrupt it polls like every device.
   */
  @Override
  public final boolean awaitReceive(int queue, int timeoutMillis) {
    checkRxQueue(queue);
    checkRxUser(queue, "awaitReceive");
    final int cause = rxInterruptCause();
    // The receive interrupt cause is one for all queues: only a one-queue device sleeps on it.
    final InterruptLine line = cause == 0 || timeoutMillis <= 0 || rxQueueCount() > 1 ? null
        : interrupt();
    if (line == null) {
      return super.awaitReceive(queue, timeoutMillis);
    }
    registers.read32(ICR);
    if (rx.hasReceived()) {
      return true;
    }
    registers.write32(IMS, cause);
    try {
      line.await(timeoutMillis);
    } finally {
      registers.write32(IMC, cause);
      registers.read32(ICR);
      line.rearm();
    }
    return rx.hasReceived();
  }

  @Override
  protected final void releaseOwnUsers() {
    for (MempoolImpl pool : hardware.rxPools()) {
      pool.releaseThread();
    }
  }

  @Override
  protected final boolean rxReady(int queue) {
    return rxRings[queue].hasReceived();
  }

  private @Nullable InterruptLine interrupt() {
    if (!interruptOpened) {
      interruptOpened = true;
      interrupt = hardware.interrupt().get();
    }
    return interrupt;
  }

  @Override
  public final int txBatch(int queue, PacketBatch batch) {
    checkTxBatch(queue, batch);
    if (!watch()) {
      return 0; // link down: push back, the caller keeps its packets
    }
    final TxRing ring = txRings[queue];
    try {
      return ring.send(batch);
    } finally {
      queueCounters.sent(queue, ring.lastSent(), ring.lastBytes());
    }
  }

  // ---- control ----

  @Override
  public final QueueStats queueStats(int queue) {
    return queueCounters.stats(queue);
  }

  @Override
  public final MacAddress macAddress() {
    return mac;
  }

  @Override
  public final void setPromiscuous(boolean enabled) {
    if (isClosed()) {
      throw new IllegalStateException("device " + address() + " is closed");
    }
    writePromiscuous(enabled);
    promiscuous = enabled;
  }

  @Override
  public final boolean isPromiscuous() {
    return promiscuous;
  }

  /**
   * Adds what only the hardware knows: frames missed for lack of buffers (MPC) to rxDropped,
   * CRC errors to rxErrors. Packet and byte counts stay the driver's own; {@link
   * #hardwareCounters()} has the device's.
   */
  @Override
  protected final void hardwareStats(long[] counters) {
    queueCounters.addTotals(counters);
    if (!isClosed() && look()) {
      this.counters.accumulate();
    }
    counters[4] += this.counters.crcErrors();
    counters[6] += this.counters.missed();
  }

  @Override
  protected final void hardwareTotals(long[] counters) {
    queueCounters.addTotals(counters);
    counters[4] += this.counters.crcErrors();
    counters[6] += this.counters.missed();
  }

  @Override
  public final QueueFigures queueFigures(int queue) {
    final RxRing r = queue < rxRings.length ? rxRings[queue] : null;
    final TxRing t = queue < txRings.length ? txRings[queue] : null;
    return new QueueFigures(queue, r == null ? 0 : r.size(), r == null ? 0 : r.posted(),
        t == null ? 0 : t.size(), t == null ? 0 : t.inFlight(), r == null ? null : r.pool());
  }

  /**
   * Returns the statistics register totals, reading the registers first while open.
   *
   * @return the totals
   */
  public final HardwareCounters hardwareCounters() {
    if (!isClosed() && look()) {
      counters.accumulate();
    }
    return counters;
  }

  /**
   * Returns the receive ring, for tests.
   *
   * @return the ring
   */
  public final RxRing rxRing() {
    return rx;
  }

  /**
   * Returns the transmit ring, for tests.
   *
   * @return the ring
   */
  public final TxRing txRing() {
    return tx;
  }

  @Override
  protected final void release() {
    // A device that no longer answers is neither read nor reset (its reset would never
    // complete); it cannot reach memory any more either, so its buffers go back to the pools.
    final boolean answering = look();
    try {
      if (answering) {
        counters.accumulate();
      }
      if (System.getProperty(HWSTATS_PROPERTY) != null) {
        final PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        err.println("hardware counters of " + address() + " (" + driverName() + "): " + counters
            + (answering ? "" : " (before the device stopped answering)"));
      }
    } finally {
      try {
        // After the reset the device no longer reads descriptors or writes buffers.
        if (answering) {
          resetDevice();
        }
      } finally {
        for (RxRing ring : rxRings) {
          ring.drain();
        }
        for (TxRing ring : txRings) {
          ring.drain();
        }
        hardware.detach().run();
      }
    }
  }
}
