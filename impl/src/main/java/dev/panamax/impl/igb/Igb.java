package dev.panamax.impl.igb;

import dev.panamax.api.DeviceException;
import dev.panamax.api.DeviceOptions;
import dev.panamax.api.LinkStatus;
import dev.panamax.api.Rss;
import dev.panamax.impl.intel.DescriptorFormat;
import dev.panamax.impl.intel.Hardware;
import dev.panamax.impl.intel.IntelDevice;
import dev.panamax.impl.intel.IntelOpener;
import dev.panamax.impl.intel.QueueRegisters;
import dev.panamax.impl.intel.RxRing;
import dev.panamax.impl.intel.StatsRegisters;
import dev.panamax.impl.pci.PciOpener;

/**
 * igb (82576) driver: up to 16 receive and 16 transmit queues with advanced one-buffer receive
 * descriptors and advanced transmit data descriptors; with several receive queues, RSS spreads
 * flows over them (7.1.2.8). Init follows 82576 4.5 (4.5.9 receive, 4.5.10 transmit).
 */
public final class Igb extends IntelDevice {
  // 8.1.3 register summary.
  private static final int EEC = 0x0010;
  private static final int MDIC = 0x0020;
  private static final int RCTL = 0x0100;
  private static final int TCTL = 0x0400;
  private static final int EIMC = 0x1528;
  private static final int EIAC = 0x152C;
  private static final int EICR = 0x1580;
  private static final int MTA = 0x5200;
  private static final int RAL0 = 0x5400;
  // Queue n (8.10, 8.12), n = 0..15, registers at +0x40 * n: RDBAL 0xC000, SRRCTL 0xC00C,
  // RXDCTL 0xC028; TDBAL 0xE000, TXDCTL 0xE028.
  private static final int RX_QUEUE0 = 0xC000;
  private static final int TX_QUEUE0 = 0xE000;
  private static final int SRRCTL0 = 0xC00C;
  private static final int RXDCTL0 = 0xC028;
  private static final int TXDCTL0 = 0xE028;
  private static final int QUEUE_STRIDE = 0x40;
  /** Queues each way the 82576 has (7.1.1, 7.2.1). */
  public static final int MAX_QUEUES = 16;
  // RSS (7.1.2.8; receive registers 8.10): RXCSUM, MRQC, RETA(0..31), RSSRK(0..9).
  private static final int RXCSUM = 0x5000;
  private static final int MRQC = 0x5818;
  private static final int RETA0 = 0x5C00;
  private static final int RSSRK0 = 0x5C80;
  // RXCSUM.PCSD (bit 13): the descriptor carries the RSS hash instead of the packet checksum;
  // the device computes RSS only with it set.
  private static final int RXCSUM_PCSD = 1 << 13;
  // MRQC.Multiple_Receive_Queues_Enable (bits 2:0) = 010b: RSS only, no VMDq.
  private static final int MRQC_ENABLE_RSS = 0x2;
  // MRQC hash fields: TcpIPv4 16, IPv4 17, IPv6 20, TcpIPv6 21, UdpIPv4 22, UdpIPv6 23.
  private static final int MRQC_FIELDS = (1 << 16) | (1 << 17) | (1 << 20) | (1 << 21)
      | (1 << 22) | (1 << 23);

  // 8.2.1 CTRL bits.
  private static final int CTRL_SLU = 1 << 6;
  private static final int CTRL_LRST = 1 << 3;
  private static final int CTRL_ILOS = 1 << 7;
  private static final int CTRL_VME = 1 << 30;
  private static final int CTRL_PHY_RST = 1 << 31;
  // 8.4.1 EEC.AUTO_RD: EEPROM auto-read done.
  private static final int EEC_AUTO_RD = 1 << 9;
  // 8.2.4 MDIC: PHY register access; the internal PHY answers at address 1.
  private static final int MDIC_REGADD_SHIFT = 16;
  private static final int MDIC_PHY_INTERNAL = 1 << 21;
  private static final int MDIC_OP_WRITE = 1 << 26;
  private static final int MDIC_OP_READ = 2 << 26;
  private static final int MDIC_READY = 1 << 28;
  private static final int MDIC_ERROR = 1 << 30;
  // PHY control register (IEEE 802.3 clause 22 register 0): auto-negotiation enable and restart.
  private static final int PHY_CONTROL = 0;
  private static final int PHY_CONTROL_AUTONEG_ENABLE = 1 << 12;
  private static final int PHY_CONTROL_RESTART_AUTONEG = 1 << 9;
  // 8.10.1 RCTL bits (same positions as the 8254x).
  private static final int RCTL_EN = 1 << 1;
  private static final int RCTL_UPE = 1 << 3;
  private static final int RCTL_MPE = 1 << 4;
  private static final int RCTL_LPE = 1 << 5;
  private static final int RCTL_BAM = 1 << 15;
  private static final int RCTL_SECRC = 1 << 26;
  // 8.10.2 SRRCTL: BSIZEPACKET in 1 KiB units (bits 6:0), DESCTYPE bits 27:25 = 001b
  // (advanced, one buffer).
  private static final int SRRCTL_DESCTYPE_ADV_ONEBUF = 1 << 25;
  private static final int SRRCTL_DROP_EN = 1 << 31;
  // 8.10.11 / 8.12.13 queue enable.
  private static final int XDCTL_ENABLE = 1 << 25;
  // 8.12.1 TCTL bits.
  private static final int TCTL_EN = 1 << 1;
  private static final int TCTL_PSP = 1 << 3;
  private static final int TCTL_CT = 0x0F << 4;
  private static final int TCTL_COLD = 0x3F << 12;

  private final Rss rss;

  private Igb(Hardware hardware, int ringSize, int txQueues, Rss rss) {
    super(hardware, "igb", DescriptorFormat.ADVANCED,
        q -> QueueRegisters.standard(RX_QUEUE0 + QUEUE_STRIDE * q, TX_QUEUE0 + QUEUE_STRIDE * q),
        StatsRegisters.e1000(), RAL0, ringSize, txQueues);
    this.rss = rss;
  }

  /**
   * Opens an 82576 after {@link PciOpener#check} passed.
   *
   * @param context the checked device
   * @param options ring size and buffer count
   * @return the running device
   */
  public static Igb open(PciOpener.Context context, DeviceOptions options) {
    return (Igb) IntelOpener.open(context, options, MAX_QUEUES, Igb::start);
  }

  /**
   * Runs the init sequence on given registers and memory (a real device or a model).
   *
   * @param hardware registers, memory and hooks
   * @param options ring size, transmit queues and RSS (the receive queues are the pools of
   *     {@code hardware})
   * @return the running device
   */
  public static Igb start(Hardware hardware, DeviceOptions options) {
    final Igb device = new Igb(hardware, Hardware.ringSize(options.ringSize()), options.txQueues(),
        hardware.rxPools().size() > 1 ? options.effectiveRss() : Rss.spread(1));
    device.initialize();
    return device;
  }

  private void disableInterrupts() {
    // 4.5.3 / 7.3: mask legacy and extended causes, no auto-clear, clear pending causes.
    registers.write32(IMC, 0xFFFF_FFFF);
    registers.write32(EIMC, 0xFFFF_FFFF);
    registers.write32(EIAC, 0);
    registers.read32(ICR);
    registers.read32(EICR);
  }

  private void initialize() {
    // 4.5.3: interrupts off, then a software reset (CTRL.RST self-clears; wait 1 ms first,
    // 4.3.1), then interrupts off again because the reset cleared the masks.
    disableInterrupts();
    modify(CTRL, CTRL_RST, 0);
    sleepMillis(1);
    waitFor("reset device (CTRL.RST)", CTRL, CTRL_RST, 0);
    disableInterrupts();
    // 8.4.1: the EEPROM is re-read after reset and EEC.AUTO_RD reports when that is done.
    // Wait for it, but only briefly and without failing: a part without EEPROM never sets it
    // (QEMU's igb does not), and the MAC address check below catches a failed load.
    poll(EEC, EEC_AUTO_RD, EEC_AUTO_RD, 10);
    // 4.5.7.1 copper link set-up with the internal PHY: set link up, PHY auto-negotiation
    // resolves speed and duplex.
    modify(CTRL, CTRL_SLU, CTRL_LRST | CTRL_PHY_RST | CTRL_ILOS | CTRL_VME);
    // The reset also reset the PHY; restart its auto-negotiation (PHY control register, via
    // MDIC) so the link comes back without waiting for the PHY's own timers. QEMU's igb brings
    // the link up only this way.
    final int control = readPhy(PHY_CONTROL);
    writePhy(PHY_CONTROL, control | PHY_CONTROL_AUTONEG_ENABLE | PHY_CONTROL_RESTART_AUTONEG);
    readMacAddress();
    for (int i = 0; i < 128; i++) {
      registers.write32(MTA + 4 * i, 0);
    }
    // 4.5.8: clear the statistics by reading them.
    counters.clear();
    initReceive();
    initTransmit();
    awaitLink(5000);
  }

  /** 8.2.4: MDIC read of an internal PHY register; polls MDIC.R. */
  private int readPhy(int register) {
    registers.write32(MDIC, MDIC_OP_READ | MDIC_PHY_INTERNAL | (register << MDIC_REGADD_SHIFT));
    return completeMdic("read PHY register " + register) & 0xFFFF;
  }

  /** 8.2.4: MDIC write of an internal PHY register; polls MDIC.R. */
  private void writePhy(int register, int value) {
    registers.write32(MDIC, MDIC_OP_WRITE | MDIC_PHY_INTERNAL | (register << MDIC_REGADD_SHIFT)
        | (value & 0xFFFF));
    completeMdic("write PHY register " + register);
  }

  private int completeMdic(String step) {
    waitFor(step + " (MDIC.R)", MDIC, MDIC_READY, MDIC_READY);
    final int mdic = registers.read32(MDIC);
    if ((mdic & MDIC_ERROR) != 0) {
      throw new DeviceException(address(), step, String.format("MDIC = 0x%08x has E set", mdic));
    }
    return mdic;
  }

  /** 4.5.9 receive initialisation, every receive queue; RSS with more than one. */
  private void initReceive() {
    // Receiver off while the queues are set up.
    modify(RCTL, 0, RCTL_EN);
    for (int q = 0; q < rxRings.length; q++) {
      final int offset = QUEUE_STRIDE * q;
      rxRings[q].program();
      // Drop when no descriptor is free instead of stalling the packet buffer (and the other
      // queues with it).
      registers.write32(SRRCTL0 + offset, SRRCTL_DESCTYPE_ADV_ONEBUF | SRRCTL_DROP_EN
          | (RxRing.BUFFER_SIZE / 1024));
      modify(RXDCTL0 + offset, XDCTL_ENABLE, 0);
      waitFor("enable receive queue " + q + " (RXDCTL.ENABLE)", RXDCTL0 + offset, XDCTL_ENABLE,
          XDCTL_ENABLE);
    }
    if (rxRings.length > 1) {
      programRss();
    }
    enableBusMaster();
    // 4.5.9: bump the tails after the queues are enabled.
    for (RxRing ring : rxRings) {
      ring.refill();
    }
    modify(RCTL, RCTL_EN | RCTL_BAM | RCTL_SECRC, RCTL_LPE | RCTL_UPE | RCTL_MPE);
  }

  /**
   * 7.1.2.8 RSS: key and redirection table (RSSRK, RETA), RXCSUM.PCSD, then MRQC with
   * RSS and the hashed fields.
   */
  private void programRss() {
    writeRssTables(rss, RSSRK0, RETA0);
    modify(RXCSUM, RXCSUM_PCSD, 0);
    registers.write32(MRQC, MRQC_ENABLE_RSS | MRQC_FIELDS);
  }

  /** 4.5.10 transmit initialisation, every transmit queue. */
  private void initTransmit() {
    for (int q = 0; q < txRings.length; q++) {
      final int txdctl = TXDCTL0 + QUEUE_STRIDE * q;
      txRings[q].program();
      modify(txdctl, XDCTL_ENABLE, 0);
      waitFor("enable transmit queue " + q + " (TXDCTL.ENABLE)", txdctl, XDCTL_ENABLE, XDCTL_ENABLE);
    }
    registers.write32(TCTL, TCTL_EN | TCTL_PSP | TCTL_CT | TCTL_COLD);
  }

  /** 82576 8.8.3: ICR bit 7, Receiver Descriptor Write Back. */
  @Override
  protected int rxInterruptCause() {
    return 1 << 7; // RXDW
  }

  @Override
  protected void resetDevice() {
    modify(RCTL, 0, RCTL_EN);
    modify(TCTL, 0, TCTL_EN);
    disableInterrupts();
    modify(CTRL, CTRL_RST, 0);
    sleepMillis(1);
    waitFor("reset device (CTRL.RST)", CTRL, CTRL_RST, 0);
  }

  @Override
  protected void writePromiscuous(boolean enabled) {
    // 8.10.1: RCTL.UPE / RCTL.MPE.
    modify(RCTL, enabled ? RCTL_UPE | RCTL_MPE : 0, enabled ? 0 : RCTL_UPE | RCTL_MPE);
  }

  @Override
  protected boolean linkUpBit() {
    // 8.2.2 STATUS.LU, bit 1.
    return (registers.read32(STATUS) & (1 << 1)) != 0;
  }

  @Override
  public LinkStatus linkStatus() {
    if (!look()) {
      return LinkStatus.DOWN;
    }
    // 8.2.2 STATUS: LU bit 1, SPEED bits 7:6, as on the 8254x.
    return linkFromStatus(registers.read32(STATUS));
  }
}
