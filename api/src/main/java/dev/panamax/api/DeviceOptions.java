package dev.panamax.api;

/**
 * Settings for {@link NetworkDevice#open(String, DeviceOptions)}. Start from {@link #defaults()}
 * and change what you need with the {@code with…} methods.
 *
 * @param rxQueues number of receive queues, at least 1
 * @param txQueues number of transmit queues, at least 1
 * @param ringSize descriptors per ring (virtual devices: packets per ring), a power of two
 * @param bufferCount buffers in the device's receive mempool
 * @param dmaSource memory for the device's receive buffers and rings
 */
public record DeviceOptions(
    int rxQueues, int txQueues, int ringSize, int bufferCount, DmaSource dmaSource) {

  /** Default ring size, as in ixy. */
  public static final int DEFAULT_RING_SIZE = 512;

  /** Default number of receive buffers per device. */
  public static final int DEFAULT_BUFFER_COUNT = 4096;

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException naming the field that is out of range
   */
  public DeviceOptions {
    if (rxQueues < 1 || txQueues < 1) {
      throw new IllegalArgumentException(
          "queue counts must be at least 1, got rx=" + rxQueues + " tx=" + txQueues);
    }
    if (ringSize < 2 || Integer.bitCount(ringSize) != 1 || ringSize > 32768) {
      throw new IllegalArgumentException(
          "ringSize must be a power of two from 2 to 32768, got " + ringSize);
    }
    if (bufferCount < 1) {
      throw new IllegalArgumentException("bufferCount must be at least 1, got " + bufferCount);
    }
  }

  /**
   * One queue each way, 512-entry rings, 4096 buffers, hugepage memory (virtual devices ignore
   * the DMA source and use native memory).
   *
   * @return the default options
   */
  public static DeviceOptions defaults() {
    return new DeviceOptions(1, 1, DEFAULT_RING_SIZE, DEFAULT_BUFFER_COUNT, DmaSource.hugepages());
  }

  /**
   * Returns a copy with another ring size.
   *
   * @param size descriptors per ring
   * @return the new options
   */
  public DeviceOptions withRingSize(int size) {
    return new DeviceOptions(rxQueues, txQueues, size, bufferCount, dmaSource);
  }

  /**
   * Returns a copy with other queue counts.
   *
   * @param rx receive queues
   * @param tx transmit queues
   * @return the new options
   */
  public DeviceOptions withQueues(int rx, int tx) {
    return new DeviceOptions(rx, tx, ringSize, bufferCount, dmaSource);
  }

  /**
   * Returns a copy with another buffer count.
   *
   * @param count receive buffers
   * @return the new options
   */
  public DeviceOptions withBufferCount(int count) {
    return new DeviceOptions(rxQueues, txQueues, ringSize, count, dmaSource);
  }

  /**
   * Returns a copy with another DMA source.
   *
   * @param source memory for rings and buffers
   * @return the new options
   */
  public DeviceOptions withDmaSource(DmaSource source) {
    return new DeviceOptions(rxQueues, txQueues, ringSize, bufferCount, source);
  }
}
