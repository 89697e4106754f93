package dev.panamax.impl.intel;

/**
 * Offsets of the statistics registers a driver accumulates.
 *
 * @param gprc good packets received count
 * @param gptc good packets transmitted count
 * @param gorcl good octets received count, low half (high half at +4)
 * @param gotcl good octets transmitted count, low half (high half at +4)
 * @param crcerrs CRC error count
 * @param mpc first missed packets count register
 * @param mpcCount number of consecutive MPC registers (82599: one per packet buffer)
 * @param rnbc receive no buffers count, or -1 if the family has none
 */
public record StatsRegisters(
    int gprc, int gptc, int gorcl, int gotcl, int crcerrs, int mpc, int mpcCount, int rnbc) {

  /**
   * The 8254x / 82576 layout (8254x SDM 13.7: CRCERRS 0x4000, MPC 0x4010, GPRC 0x4074, GPTC
   * 0x4080, GORCL 0x4088, GOTCL 0x4090, RNBC 0x40A0; the 82576 keeps the same offsets, 8.19).
   *
   * @return the offsets
   */
  public static StatsRegisters e1000() {
    return new StatsRegisters(0x4074, 0x4080, 0x4088, 0x4090, 0x4000, 0x4010, 1, 0x40A0);
  }
}
