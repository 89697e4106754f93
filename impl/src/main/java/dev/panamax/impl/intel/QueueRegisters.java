package dev.panamax.impl.intel;

/**
 * Register offsets of one receive and one transmit queue. Each family computes them from its
 * datasheet's register map; the rings never hard-code an offset.
 *
 * @param rdbal receive descriptor base address low
 * @param rdbah receive descriptor base address high
 * @param rdlen receive descriptor ring length in bytes
 * @param rdh receive descriptor head
 * @param rdt receive descriptor tail
 * @param tdbal transmit descriptor base address low
 * @param tdbah transmit descriptor base address high
 * @param tdlen transmit descriptor ring length in bytes
 * @param tdh transmit descriptor head
 * @param tdt transmit descriptor tail
 */
public record QueueRegisters(
    int rdbal, int rdbah, int rdlen, int rdh, int rdt,
    int tdbal, int tdbah, int tdlen, int tdh, int tdt) {

  /**
   * The layout the 8254x, 82576 and 82599 share for their queue 0 (or, on the 8254x, only)
   * registers: one block for receive at {@code rxBase}, one for transmit at {@code txBase},
   * with BAL/BAH/LEN/H/T at +0/+4/+8/+0x10/+0x18 (8254x SDM 13.4.27-13.4.41; 82576 8.10/8.12
   * queue 0 at 0xC000/0xE000; 82599 8.2.3.8/8.2.3.9 queue n at 0x1000+0x40n / 0x6000+0x40n).
   *
   * @param rxBase offset of RDBAL
   * @param txBase offset of TDBAL
   * @return the offsets
   */
  public static QueueRegisters standard(int rxBase, int txBase) {
    return new QueueRegisters(rxBase, rxBase + 0x04, rxBase + 0x08, rxBase + 0x10, rxBase + 0x18,
        txBase, txBase + 0x04, txBase + 0x08, txBase + 0x10, txBase + 0x18);
  }
}
