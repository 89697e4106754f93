package dev.panamax.impl.e1000;

import dev.panamax.api.DeviceOptions;
import dev.panamax.api.LinkStatus;
import dev.panamax.impl.intel.DescriptorFormat;
import dev.panamax.impl.intel.Hardware;
import dev.panamax.impl.intel.IntelDevice;
import dev.panamax.impl.intel.IntelOpener;
import dev.panamax.impl.intel.QueueRegisters;
import dev.panamax.impl.intel.StatsRegisters;
import dev.panamax.impl.pci.PciOpener;

/**
 * e1000 (8254x) driver: one receive and one transmit ring of legacy descriptors (3.2.3,
 * 3.3.3), polling only. Init follows chapter 14 of the 8254x SDM.
 */
public final class E1000 extends IntelDevice {
  // 13.4 register offsets.
  private static final int RCTL = 0x0100;
  private static final int TCTL = 0x0400;
  private static final int TIPG = 0x0410;
  private static final int RDTR = 0x2820;
  private static final int RADV = 0x282C;
  private static final int TIDV = 0x3820;
  private static final int MTA = 0x5200;
  private static final int RAL0 = 0x5400;

  // 13.4.1 CTRL bits.
  private static final int CTRL_LRST = 1 << 3;
  private static final int CTRL_ASDE = 1 << 5;
  private static final int CTRL_SLU = 1 << 6;
  private static final int CTRL_ILOS = 1 << 7;
  private static final int CTRL_VME = 1 << 30;
  private static final int CTRL_PHY_RST = 1 << 31;

  // 13.4.22 RCTL bits.
  private static final int RCTL_EN = 1 << 1;
  private static final int RCTL_UPE = 1 << 3;
  private static final int RCTL_MPE = 1 << 4;
  private static final int RCTL_LPE = 1 << 5;
  private static final int RCTL_BAM = 1 << 15;
  private static final int RCTL_BSIZE_2048 = 0; // BSIZE = 00b with BSEX = 0
  private static final int RCTL_SECRC = 1 << 26;

  // 13.4.33 TCTL bits and 14.5 recommended values.
  private static final int TCTL_EN = 1 << 1;
  private static final int TCTL_PSP = 1 << 3;
  private static final int TCTL_CT = 0x0F << 4;
  private static final int TCTL_COLD_FULL_DUPLEX = 0x40 << 12;
  // 13.4.34: IPGT 10, IPGR1 8, IPGR2 6 for the 82540/82541/82545/82546/82547 (IEEE 802.3).
  private static final int TIPG_VALUE = 10 | (8 << 10) | (6 << 20);

  private E1000(Hardware hardware, int ringSize) {
    super(hardware, "e1000", DescriptorFormat.LEGACY,
        q -> QueueRegisters.standard(0x2800, 0x3800), StatsRegisters.e1000(), RAL0, ringSize, 1);
  }

  /**
   * Opens an 8254x device after {@link PciOpener#check} passed.
   *
   * @param context the checked device
   * @param options ring size and buffer count
   * @return the running device
   */
  public static E1000 open(PciOpener.Context context, DeviceOptions options) {
    // The 8254x has one receive and one transmit queue (SDM 3.2, 3.3).
    return (E1000) IntelOpener.open(context, options, 1, E1000::start);
  }

  /**
   * Runs the init sequence on given registers and memory (a real device or a model).
   *
   * @param hardware registers, memory and hooks
   * @param options ring size
   * @return the running device
   */
  public static E1000 start(Hardware hardware, DeviceOptions options) {
    final E1000 device = new E1000(hardware, Hardware.ringSize(options.ringSize()));
    device.initialize();
    return device;
  }

  private void initialize() {
    // 14.4/14.5 ask for interrupts masked while configuring; we never unmask them (polling).
    registers.write32(IMC, 0xFFFF_FFFF);
    // 14.3 / 13.4.1: global reset; CTRL.RST self-clears. Wait at least 1 us before checking.
    modify(CTRL, CTRL_RST, 0);
    sleepMillis(1);
    waitFor("reset device (CTRL.RST)", CTRL, CTRL_RST, 0);
    // The reset re-enables nothing, but mask again and clear pending causes (13.4.17).
    registers.write32(IMC, 0xFFFF_FFFF);
    registers.read32(ICR);
    // 14.3 general configuration: link up (SLU), speed auto-detection (ASDE); clear link
    // reset, PHY reset, invert loss-of-signal and VLAN mode.
    modify(CTRL, CTRL_SLU | CTRL_ASDE, CTRL_LRST | CTRL_PHY_RST | CTRL_ILOS | CTRL_VME);
    readMacAddress();
    // 14.4: clear the multicast table array.
    for (int i = 0; i < 128; i++) {
      registers.write32(MTA + 4 * i, 0);
    }
    // 14.3: statistics registers read to clear them.
    counters.clear();
    initReceive();
    initTransmit();
    enableBusMaster();
    // The receive ring is filled after EN and bus mastering: RDT bump hands it over.
    rx.refill();
    awaitLink(2000);
  }

  /** 14.4 receive initialisation. */
  private void initReceive() {
    rx.program();
    // No receive interrupt delay: we poll (13.4.30, 13.4.31).
    registers.write32(RDTR, 0);
    registers.write32(RADV, 0);
    registers.write32(RCTL, RCTL_EN | RCTL_BAM | RCTL_BSIZE_2048 | RCTL_SECRC);
    modify(RCTL, 0, RCTL_LPE | RCTL_UPE | RCTL_MPE);
  }

  /** 14.5 transmit initialisation. */
  private void initTransmit() {
    tx.program();
    registers.write32(TIDV, 0);
    registers.write32(TIPG, TIPG_VALUE);
    registers.write32(TCTL, TCTL_EN | TCTL_PSP | TCTL_CT | TCTL_COLD_FULL_DUPLEX);
  }

  /** 8254x SDM 13.4.17: ICR bit 7, Receiver Timer Interrupt (RDTR is 0: at once). */
  @Override
  protected int rxInterruptCause() {
    return 1 << 7; // RXT0
  }

  @Override
  protected void resetDevice() {
    registers.write32(IMC, 0xFFFF_FFFF);
    modify(RCTL, 0, RCTL_EN);
    modify(TCTL, 0, TCTL_EN);
    modify(CTRL, CTRL_RST, 0);
    sleepMillis(1);
    waitFor("reset device (CTRL.RST)", CTRL, CTRL_RST, 0);
  }

  @Override
  protected void writePromiscuous(boolean enabled) {
    // 13.4.22: UPE and MPE accept every unicast and multicast frame.
    modify(RCTL, enabled ? RCTL_UPE | RCTL_MPE : 0, enabled ? 0 : RCTL_UPE | RCTL_MPE);
  }

  @Override
  protected boolean linkUpBit() {
    // 13.4.2 STATUS.LU, bit 1.
    return (registers.read32(STATUS) & (1 << 1)) != 0;
  }

  @Override
  public LinkStatus linkStatus() {
    if (!look()) {
      return LinkStatus.DOWN;
    }
    return linkFromStatus(registers.read32(STATUS));
  }

}
