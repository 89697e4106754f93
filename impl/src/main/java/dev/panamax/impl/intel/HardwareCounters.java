package dev.panamax.impl.intel;

import dev.panamax.impl.unsafe.Mmio;

/**
 * Totals of a NIC's clear-on-read statistics registers (8254x SDM 13.7, 82576 8.19, 82599
 * 8.2.3.23): each read returns the count since the previous read, so the driver adds every read
 * to these totals. Read only on the thread that drives the device.
 */
public final class HardwareCounters {
  private final Mmio registers;
  private final StatsRegisters offsets;
  private long rxPackets;
  private long rxBytes;
  private long txPackets;
  private long txBytes;
  private long missed;
  private long noBuffer;
  private long crcErrors;

  /**
   * Creates zero totals.
   *
   * @param registers the device's register window
   * @param offsets where the family keeps its counters
   */
  public HardwareCounters(Mmio registers, StatsRegisters offsets) {
    this.registers = registers;
    this.offsets = offsets;
  }

  /** Reads every counter once and adds it to the totals. */
  public void accumulate() {
    rxPackets += u32(offsets.gprc());
    txPackets += u32(offsets.gptc());
    rxBytes += u64(offsets.gorcl());
    txBytes += u64(offsets.gotcl());
    crcErrors += u32(offsets.crcerrs());
    for (int i = 0; i < offsets.mpcCount(); i++) {
      missed += u32(offsets.mpc() + 4 * i);
    }
    if (offsets.rnbc() >= 0) {
      noBuffer += u32(offsets.rnbc());
    }
  }

  /** Reads every counter and forgets the values: the reset step of the init sequences. */
  public void clear() {
    accumulate();
    rxPackets = 0;
    rxBytes = 0;
    txPackets = 0;
    txBytes = 0;
    missed = 0;
    noBuffer = 0;
    crcErrors = 0;
  }

  private long u32(int offset) {
    return Integer.toUnsignedLong(registers.read32(offset));
  }

  /** Low half first, then the high half (the pair is latched and cleared as one). */
  private long u64(int low) {
    final long lo = u32(low);
    return lo + (u32(low + 4) << 32);
  }

  /**
   * Good packets received (GPRC).
   *
   * @return total
   */
  public long rxPackets() {
    return rxPackets;
  }

  /**
   * Good octets received (GORCL/GORCH), as the device counts them.
   *
   * @return total
   */
  public long rxBytes() {
    return rxBytes;
  }

  /**
   * Good packets transmitted (GPTC).
   *
   * @return total
   */
  public long txPackets() {
    return txPackets;
  }

  /**
   * Good octets transmitted (GOTCL/GOTCH).
   *
   * @return total
   */
  public long txBytes() {
    return txBytes;
  }

  /**
   * Frames missed for lack of receive buffer space (MPC).
   *
   * @return total
   */
  public long missed() {
    return missed;
  }

  /**
   * Frames that found no free receive descriptor (RNBC; 0 where the family has none).
   *
   * @return total
   */
  public long noBuffer() {
    return noBuffer;
  }

  /**
   * Frames with CRC errors (CRCERRS).
   *
   * @return total
   */
  public long crcErrors() {
    return crcErrors;
  }

  @Override
  public String toString() {
    return "rx " + rxPackets + " packets " + rxBytes + " bytes, tx " + txPackets + " packets "
        + txBytes + " bytes, missed " + missed + ", no buffer " + noBuffer + ", crc errors "
        + crcErrors;
  }
}
