package dev.panamax.impl.ixgbe;

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
 * ixgbe (82599) driver: up to 16 receive and 16 transmit queues with advanced one-buffer receive
 * descriptors and advanced transmit data descriptors, RSS over the receive queues (7.1.2.8), no
 * DCB, no virtualisation, polling only. Init follows 82599 4.6.3 (general), 4.6.4 (link), 4.6.7
 * (receive) and 4.6.8 (transmit).
 */
public final class Ixgbe extends IntelDevice {
  // 8.2.3 register offsets (queue n registers: base + 0x40 * n, n < 64).
  static final int CTRL_EXT = 0x00018;
  static final int EEC = 0x10010;
  static final int EICR = 0x00800;
  static final int EIMC = 0x00888;
  static final int RDBAL0 = 0x01000;
  static final int DCA_RXCTRL0 = 0x0100C;
  static final int SRRCTL0 = 0x01014;
  static final int RXDCTL0 = 0x01028;
  static final int RDRXCTL = 0x02F00;
  static final int RXCTRL = 0x03000;
  static final int RXPBSIZE0 = 0x03C00;
  static final int MPC0 = 0x03FA0;
  static final int HLREG0 = 0x04240;
  static final int AUTOC = 0x042A0;
  static final int LINKS = 0x042A4;
  static final int RTTDCS = 0x04900;
  static final int DMATXCTL = 0x04A80;
  static final int FCTRL = 0x05080;
  static final int MTA = 0x05200;
  static final int TDBAL0 = 0x06000;
  static final int TXDCTL0 = 0x06028;
  static final int DTXMXSZRQ = 0x08100;
  static final int MTQC = 0x08120;
  static final int RAL0 = 0x0A200;
  static final int TXPBSIZE0 = 0x0CC00;
  static final int RXCSUM = 0x05000;
  static final int MRQC = 0x0EC80;
  static final int RETA0 = 0x0EB00;
  static final int RSSRK0 = 0x0EB80;
  static final int QUEUE_STRIDE = 0x40;
  /** Queues each way this driver drives: RSS spreads over at most 16 (7.1.2.8). */
  public static final int MAX_QUEUES = 16;
  // RXCSUM.PCSD (bit 13, 8.2.3.7): the descriptor carries the RSS hash.
  static final int RXCSUM_PCSD = 1 << 13;
  // MRQC.MRQE (bits 3:0) = 0001b: RSS only. Hash fields: TcpIPv4 16, IPv4 17, IPv6 20,
  // TcpIPv6 21, UdpIPv4 22, UdpIPv6 23.
  static final int MRQC_RSS = 0x1;
  static final int MRQC_FIELDS = (1 << 16) | (1 << 17) | (1 << 20) | (1 << 21) | (1 << 22)
      | (1 << 23);

  // 8.2.3.1.1 CTRL: LRST bit 3 and RST bit 26 together are the global reset (4.6.3.2).
  static final int CTRL_LRST = 1 << 3;
  // 8.2.3.1.3 CTRL_EXT.NS_DIS: no-snoop disable.
  static final int CTRL_EXT_NS_DIS = 1 << 16;
  // 8.2.3.2.1 EEC.ARD: EEPROM auto-read done.
  static final int EEC_ARD = 1 << 9;
  // 8.2.3.8.8 RDRXCTL.
  static final int RDRXCTL_CRCSTRIP = 1 << 1;
  static final int RDRXCTL_DMAIDONE = 1 << 3;
  static final int RDRXCTL_RSCFRSTSIZE = 0x1F << 17;
  static final int RDRXCTL_RSCACKC = 1 << 25;
  static final int RDRXCTL_FCOE_WRFIX = 1 << 26;
  // 8.2.3.8.10 RXCTRL.RXEN.
  static final int RXCTRL_RXEN = 1;
  // 8.2.3.22.8 HLREG0.
  static final int HLREG0_TXCRCEN = 1;
  static final int HLREG0_RXCRCSTRP = 1 << 1;
  static final int HLREG0_TXPADEN = 1 << 10;
  // 8.2.3.7.1 FCTRL.
  static final int FCTRL_MPE = 1 << 8;
  static final int FCTRL_UPE = 1 << 9;
  static final int FCTRL_BAM = 1 << 10;
  // 8.2.3.8.7 SRRCTL: BSIZEPACKET bits 4:0 in KiB, DESCTYPE bits 27:25 = 001b, DROP_EN bit 28.
  static final int SRRCTL_DESCTYPE_ADV_ONEBUF = 1 << 25;
  static final int SRRCTL_DROP_EN = 1 << 28;
  // 8.2.3.8.6 RXDCTL / 8.2.3.9.10 TXDCTL: ENABLE bit 25.
  static final int XDCTL_ENABLE = 1 << 25;
  // 8.2.3.11.1 DCA_RXCTRL bit 12 (Rx descriptor write-back relaxed ordering): must be 0.
  static final int DCA_RXCTRL_DESC_WRO = 1 << 12;
  // 8.2.3.22.19 AUTOC: LMS bits 15:13 (011b = 10 GbE serial), 10G_PMA_PMD_PARALLEL bits 8:7,
  // Restart_AN bit 12.
  static final int AUTOC_LMS_MASK = 0x7 << 13;
  static final int AUTOC_LMS_10G_SERIAL = 0x3 << 13;
  static final int AUTOC_10G_PMA_PMD_MASK = 0x3 << 7;
  static final int AUTOC_AN_RESTART = 1 << 12;
  // 8.2.3.22.20 LINKS: Link_Up bit 30, LINK_SPEED bits 29:28.
  static final int LINKS_UP = 1 << 30;
  // 8.2.3.10.2 RTTDCS.ARBDIS.
  static final int RTTDCS_ARBDIS = 1 << 6;
  // 8.2.3.9.2 DMATXCTL.TE.
  static final int DMATXCTL_TE = 1;
  // 4.6.11.3.4 non-DCB packet buffers: RX 512 KiB, TX 160 KiB, in TC 0 (KiB in bits 19:10).
  static final int RXPBSIZE_512K = 512 << 10;
  static final int TXPBSIZE_160K = 160 << 10;

  private final Rss rss;

  private Ixgbe(Hardware hardware, int ringSize, int txQueues, Rss rss) {
    super(hardware, "ixgbe", DescriptorFormat.ADVANCED,
        q -> QueueRegisters.standard(RDBAL0 + QUEUE_STRIDE * q, TDBAL0 + QUEUE_STRIDE * q),
        new StatsRegisters(0x04074, 0x04080, 0x04088, 0x04090, 0x04000, MPC0, 8, -1),
        RAL0, ringSize, txQueues);
    this.rss = rss;
  }

  /**
   * Opens an 82599 after {@link PciOpener#check} passed.
   *
   * @param context the checked device
   * @param options ring size and buffer count
   * @return the running device
   */
  public static Ixgbe open(PciOpener.Context context, DeviceOptions options) {
    return (Ixgbe) IntelOpener.open(context, options, MAX_QUEUES, Ixgbe::start);
  }

  /**
   * Runs the init sequence on given registers and memory: a real device, or the register
   * model of the tests.
   *
   * @param hardware registers, memory and hooks
   * @param options ring size, transmit queues and RSS (the receive queues are the pools of
   *     {@code hardware})
   * @return the running device
   */
  public static Ixgbe start(Hardware hardware, DeviceOptions options) {
    final Ixgbe device = new Ixgbe(hardware, Hardware.ringSize(options.ringSize()),
        options.txQueues(), hardware.rxPools().size() > 1 ? options.effectiveRss() : Rss.spread(1));
    device.initialize();
    return device;
  }

  /** 4.6.3.1: mask every interrupt cause (EIMC) and clear pending ones. */
  private void disableInterrupts() {
    registers.write32(EIMC, 0x7FFF_FFFF);
    registers.read32(EICR);
  }

  private void initialize() {
    // 4.6.3: interrupts off, global reset, interrupts off again.
    disableInterrupts();
    globalReset();
    disableInterrupts();
    // 4.6.3: wait for the EEPROM auto-read and for DMA initialisation.
    waitFor("wait for EEPROM auto-read (EEC.ARD)", EEC, EEC_ARD, EEC_ARD);
    waitFor("wait for DMA init (RDRXCTL.DMAIDONE)", RDRXCTL, RDRXCTL_DMAIDONE, RDRXCTL_DMAIDONE);
    readMacAddress();
    // 4.6.4 link set-up: 10 GbE serial link mode, then restart auto-negotiation.
    setUpLink();
    // 4.6.3: statistics registers are read to clear them.
    counters.clear();
    initReceive();
    initTransmit();
    enableBusMaster();
    startReceive();
    startTransmit();
    awaitLink(10_000);
  }

  /** 4.6.3.2: CTRL.RST | CTRL.LRST, self-clearing; then at least 10 ms before any access. */
  private void globalReset() {
    modify(CTRL, CTRL_RST | CTRL_LRST, 0);
    sleepMillis(1);
    waitFor("global reset (CTRL.RST)", CTRL, CTRL_RST | CTRL_LRST, 0);
    sleepMillis(10);
  }

  private void setUpLink() {
    modify(AUTOC, AUTOC_LMS_10G_SERIAL, AUTOC_LMS_MASK | AUTOC_10G_PMA_PMD_MASK);
    modify(AUTOC, AUTOC_AN_RESTART, 0);
  }

  /** 4.6.7 receive initialisation (no DCB, no virtualisation). */
  private void initReceive() {
    // Receive off while the queues are configured.
    modify(RXCTRL, 0, RXCTRL_RXEN);
    // One packet buffer of 512 KiB for TC 0, none for the others.
    registers.write32(RXPBSIZE0, RXPBSIZE_512K);
    for (int i = 1; i < 8; i++) {
      registers.write32(RXPBSIZE0 + 4 * i, 0);
    }
    // CRC stripping in both places that control it (they must agree), and the RSC/FCoE
    // fields as 4.6.7 prescribes.
    modify(HLREG0, HLREG0_RXCRCSTRP, 0);
    modify(RDRXCTL, RDRXCTL_CRCSTRIP | RDRXCTL_RSCACKC | RDRXCTL_FCOE_WRFIX, RDRXCTL_RSCFRSTSIZE);
    // Accept broadcast; unicast to our address only (promiscuous off).
    modify(FCTRL, FCTRL_BAM, FCTRL_UPE | FCTRL_MPE);
    for (int i = 0; i < 128; i++) {
      registers.write32(MTA + 4 * i, 0);
    }
    for (int q = 0; q < rxRings.length; q++) {
      final int offset = QUEUE_STRIDE * q;
      rxRings[q].program();
      registers.write32(SRRCTL0 + offset, SRRCTL_DESCTYPE_ADV_ONEBUF | SRRCTL_DROP_EN
          | (RxRing.BUFFER_SIZE / 1024));
      modify(DCA_RXCTRL0 + offset, 0, DCA_RXCTRL_DESC_WRO);
    }
    // No snoop disable (82599 8.2.3.1.3), as for all queues.
    modify(CTRL_EXT, CTRL_EXT_NS_DIS, 0);
    if (rxRings.length > 1) {
      // 7.1.2.8 RSS: key and redirection table, hash in the descriptor, then MRQC.
      writeRssTables(rss, RSSRK0, RETA0);
      modify(RXCSUM, RXCSUM_PCSD, 0);
      registers.write32(MRQC, MRQC_RSS | MRQC_FIELDS);
    }
  }

  /** 4.6.8 transmit initialisation (no DCB, no virtualisation). */
  private void initTransmit() {
    // Hardware CRC and short-frame padding.
    modify(HLREG0, HLREG0_TXCRCEN | HLREG0_TXPADEN, 0);
    registers.write32(TXPBSIZE0, TXPBSIZE_160K);
    for (int i = 1; i < 8; i++) {
      registers.write32(TXPBSIZE0 + 4 * i, 0);
    }
    // Unlimited outstanding DMA requests (MAX_BYTES_NUM_REQ = 0xFFF).
    registers.write32(DTXMXSZRQ, 0xFFF);
    // The descriptor arbiter is disabled while MTQC changes (8.2.3.9.15): one TX pool, no DCB.
    modify(RTTDCS, RTTDCS_ARBDIS, 0);
    registers.write32(MTQC, 0);
    modify(RTTDCS, 0, RTTDCS_ARBDIS);
    for (int q = 0; q < txRings.length; q++) {
      txRings[q].program();
      // Prefetch 36 and host 8 descriptors; write back each descriptor with RS (WTHRESH 0).
      registers.write32(TXDCTL0 + QUEUE_STRIDE * q, 36 | (8 << 8));
    }
    registers.write32(DMATXCTL, DMATXCTL_TE);
  }

  /** 4.6.7: enable the queue, poll, then bump the tail, then enable the receiver. */
  private void startReceive() {
    for (int q = 0; q < rxRings.length; q++) {
      final int rxdctl = RXDCTL0 + QUEUE_STRIDE * q;
      modify(rxdctl, XDCTL_ENABLE, 0);
      waitFor("enable receive queue " + q + " (RXDCTL.ENABLE)", rxdctl, XDCTL_ENABLE, XDCTL_ENABLE);
      rxRings[q].refill();
    }
    modify(RXCTRL, RXCTRL_RXEN, 0);
  }

  /** 4.6.8: enable each queue and poll until the device reports it enabled. */
  private void startTransmit() {
    for (int q = 0; q < txRings.length; q++) {
      final int txdctl = TXDCTL0 + QUEUE_STRIDE * q;
      modify(txdctl, XDCTL_ENABLE, 0);
      waitFor("enable transmit queue " + q + " (TXDCTL.ENABLE)", txdctl, XDCTL_ENABLE, XDCTL_ENABLE);
    }
  }

  @Override
  protected void resetDevice() {
    modify(RXCTRL, 0, RXCTRL_RXEN);
    disableInterrupts();
    globalReset();
    disableInterrupts();
  }

  @Override
  protected void writePromiscuous(boolean enabled) {
    // 8.2.3.7.1 FCTRL.UPE / FCTRL.MPE.
    modify(FCTRL, enabled ? FCTRL_UPE | FCTRL_MPE : 0, enabled ? 0 : FCTRL_UPE | FCTRL_MPE);
  }

  @Override
  protected boolean linkUpBit() {
    return (registers.read32(LINKS) & LINKS_UP) != 0;
  }

  @Override
  public LinkStatus linkStatus() {
    if (!look()) {
      return LinkStatus.DOWN;
    }
    return linkFromLinks(registers.read32(LINKS));
  }

  /**
   * Decodes LINKS (8.2.3.22.20): Link_Up bit 30; LINK_SPEED bits 29:28 = 01b 100 Mbit/s, 10b
   * 1 Gbit/s, 11b 10 Gbit/s.
   *
   * @param links the LINKS register
   * @return the link
   */
  static LinkStatus linkFromLinks(int links) {
    if ((links & LINKS_UP) == 0) {
      return LinkStatus.DOWN;
    }
    return switch ((links >>> 28) & 3) {
      case 1 -> new LinkStatus(true, 100);
      case 2 -> new LinkStatus(true, 1000);
      case 3 -> new LinkStatus(true, 10_000);
      default -> new LinkStatus(true, 0);
    };
  }
}
