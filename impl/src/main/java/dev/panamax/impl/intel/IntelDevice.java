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
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The part of the e1000, igb and ixgbe drivers that does not depend on the family: one receive
 * and one transmit ring, software counters, statistics register totals, and close. Families
 * supply the init sequence, reset, link status, promiscuous mode and register offsets.
 *
 * <p>Single-threaded like every device: the thread that calls rxBatch/txBatch also calls
 * stats.
 */
public abstract class IntelDevice extends BaseDevice {
  /** Receive and transmit queues each driver here drives: queue 0 each way. */
  public static final int QUEUES = 1;

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
  /** The receive ring. */
  protected final RxRing rx;
  /** The transmit ring. */
  protected final TxRing tx;
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
   * @param queue queue 0's register offsets
   * @param stats statistics register offsets
   * @param ralOffset offset of RAL(0) (RAH(0) at +4)
   * @param ringSize descriptors per ring, from {@link Hardware#ringSize}
   */
  protected IntelDevice(Hardware hardware, String driverName, DescriptorFormat format,
      QueueRegisters queue, StatsRegisters stats, int ralOffset, int ringSize) {
    super(hardware.address(), driverName, QUEUES, QUEUES);
    this.hardware = hardware;
    this.registers = hardware.registers();
    this.ralOffset = ralOffset;
    this.rx = new RxRing(registers, queue, format, hardware.ringMemory(), 0, ringSize,
        hardware.rxPool(), "rx ring of " + hardware.address(), hardware.address());
    this.tx = new TxRing(registers, queue, format, hardware.ringMemory(), Hardware.TX_RING_OFFSET,
        ringSize, "txBatch on " + hardware.address(), hardware.address());
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
    final long errorsBefore = rx.errors();
    final int received = rx.receive(batch, max);
    rxPackets += received;
    rxBytes += rx.lastBytes();
    rxErrors += rx.errors() - errorsBefore;
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
    final int cause = rxInterruptCause();
    final InterruptLine line = cause == 0 || timeoutMillis <= 0 ? null : interrupt();
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
  protected final boolean rxReady(int queue) {
    return rx.hasReceived();
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
    try {
      return tx.send(batch);
    } finally {
      txPackets += tx.lastSent();
      txBytes += tx.lastBytes();
    }
  }

  // ---- control ----

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
    if (!isClosed() && look()) {
      this.counters.accumulate();
    }
    counters[4] += this.counters.crcErrors();
    counters[6] += this.counters.missed();
  }

  @Override
  protected final void hardwareTotals(long[] counters) {
    counters[4] += this.counters.crcErrors();
    counters[6] += this.counters.missed();
  }

  @Override
  public final QueueFigures queueFigures(int queue) {
    return new QueueFigures(queue, rx.size(), rx.posted(), tx.size(), tx.inFlight(), rx.pool());
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
        rx.drain();
        tx.drain();
        hardware.detach().run();
      }
    }
  }
}
