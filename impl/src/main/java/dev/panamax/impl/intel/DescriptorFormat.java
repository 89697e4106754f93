package dev.panamax.impl.intel;

/**
 * The two Intel descriptor formats the rings speak. Both are 16 bytes with the buffer address
 * in the first 8; they differ only in where the write-back puts status and length, and in the
 * command bits of a transmit descriptor.
 *
 * <ul>
 *   <li>Legacy (8254x SDM 3.2.3 receive, 3.3.3 transmit): receive write-back has the length in
 *       bytes 8-9 and the status byte at 12 (DD bit 0, EOP bit 1); transmit has length in bytes
 *       8-9, CMD in byte 11 and STA in byte 12 (DD bit 0).
 *   <li>Advanced (82576 7.1.5 / 7.2.2.3, 82599 7.1.6 / 7.2.3.2): receive write-back has the
 *       extended status in the dword at 8 (DD bit 0, EOP bit 1) and PKT_LEN in bytes 12-13;
 *       the transmit data descriptor carries DTYP = 0011b and DEXT, and PAYLEN in bits 46-63.
 * </ul>
 *
 * <p>In both formats the receive read format is "buffer address, then 8 bytes that the driver
 * zeroes" (legacy: length/status/errors; advanced: header buffer address, unused because
 * SRRCTL selects one buffer), and the transmit write-back puts DD in bit 0 of byte 12.
 */
public enum DescriptorFormat {
  /** 8254x legacy descriptors. */
  LEGACY(12, 8, 0),
  /** 82576 / 82599 advanced descriptors. */
  ADVANCED(8, 12, DescriptorFormat.ADV_DTYP_DATA | DescriptorFormat.ADV_DCMD_DEXT);

  /** Advanced transmit data descriptor type (82599 7.2.3.2.4: DTYP = 0011b, bits 23:20). */
  static final int ADV_DTYP_DATA = 0x3 << 20;
  /** Descriptor extension: advanced format (DCMD bit 5, bit 29 of the dword). */
  static final int ADV_DCMD_DEXT = 1 << 29;
  /** End of packet (legacy CMD.EOP / advanced DCMD.EOP: bit 24 of the dword at 8). */
  static final int CMD_EOP = 1 << 24;
  /** Insert FCS (CMD.IFCS / DCMD.IFCS: bit 25). */
  static final int CMD_IFCS = 1 << 25;
  /** Report status: the device writes DD back when done (CMD.RS / DCMD.RS: bit 27). */
  static final int CMD_RS = 1 << 27;
  /** Shift of PAYLEN in the advanced olinfo_status dword (bits 31:14 of the dword at 12). */
  static final int ADV_PAYLEN_SHIFT = 14;

  /** Descriptor done: bit 0 of the receive status and of the transmit STA. */
  static final int STATUS_DD = 1;
  /** End of packet: bit 1 of the receive status. */
  static final int STATUS_EOP = 1 << 1;

  /** Offset in a receive descriptor of the 32-bit word whose bits 0/1 are DD/EOP. */
  final long rxStatusOffset;
  /** Offset in a receive descriptor of the 16-bit received length. */
  final long rxLengthOffset;
  /** Bits ORed into the transmit command dword besides length, EOP, IFCS and RS. */
  final int txCommandExtra;

  DescriptorFormat(long rxStatusOffset, long rxLengthOffset, int txCommandExtra) {
    this.rxStatusOffset = rxStatusOffset;
    this.rxLengthOffset = rxLengthOffset;
    this.txCommandExtra = txCommandExtra;
  }
}
