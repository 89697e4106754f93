package dev.panamax.impl.virtio;

import dev.panamax.impl.dma.DmaMemory;

/**
 * The register interface of a virtio PCI device: legacy (4.1.4.8) or modern (4.1.4.3). The
 * driver above it is the same for both.
 */
sealed interface VirtioTransport permits LegacyTransport, ModernTransport {
  /** Device status bits (2.1). */
  int ACKNOWLEDGE = 1;
  /** The guest knows how to drive the device. */
  int DRIVER = 2;
  /** The driver is set up and ready. */
  int DRIVER_OK = 4;
  /** Feature negotiation is complete (modern only). */
  int FEATURES_OK = 8;
  /** Something went wrong in the device. */
  int DEVICE_NEEDS_RESET = 64;
  /** The driver gave up on the device. */
  int FAILED = 128;

  /**
   * Routes a queue's interrupts to MSI-X table entry {@code vector} (4.1.5.1.3: written to
   * queue_msix_vector and read back; the device answers NO_VECTOR when it cannot). Call it
   * before {@link #setUpQueue} of that queue, with MSI-X enabled.
   *
   * @param queue the queue
   * @param vector the MSI-X table entry
   * @return {@code true} if the device took it; always {@code false} for legacy devices here
   */
  default boolean setQueueVector(int queue, int vector) {
    return false;
  }

  /**
   * Tells whether this is the modern interface.
   *
   * @return true for virtio 1.0 modern
   */
  boolean isModern();

  /**
   * Reads 64 feature bits offered by the device (legacy: only the low 32 exist).
   *
   * @return feature bits
   */
  long deviceFeatures();

  /**
   * Writes the feature bits the driver accepts.
   *
   * @param features accepted bits, a subset of {@link #deviceFeatures()}
   */
  void driverFeatures(long features);

  /**
   * Reads the device status.
   *
   * @return status bits
   */
  int status();

  /**
   * Writes the device status; 0 resets the device.
   *
   * @param status status bits
   */
  void setStatus(int status);

  /**
   * Returns the largest size of a queue, 0 if the queue does not exist.
   *
   * @param queue queue index
   * @return maximum (legacy: the only) queue size
   */
  int maxQueueSize(int queue);

  /**
   * Tells whether the device lets the driver pick a smaller queue size.
   *
   * @return true for modern devices
   */
  boolean canResizeQueues();

  /**
   * Programs and enables a queue whose rings lie in {@code memory}.
   *
   * @param queue queue index
   * @param size queue size
   * @param memory ring memory
   * @param descOffset descriptor table offset (4 KiB aligned)
   * @param availOffset available ring offset
   * @param usedOffset used ring offset (4 KiB aligned)
   */
  void setUpQueue(int queue, int size, DmaMemory memory, long descOffset, long availOffset, long usedOffset);

  /**
   * Tells the device a queue has new available buffers.
   *
   * @param queue queue index
   */
  void notifyQueue(int queue);

  /**
   * Reads a byte of the device-specific configuration (virtio-net: 5.1.4).
   *
   * @param offset offset in the device configuration
   * @return the byte
   */
  int deviceConfig8(int offset);

  /** Releases mappings and files. */
  void close();
}
