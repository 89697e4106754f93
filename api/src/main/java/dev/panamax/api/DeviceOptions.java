package dev.panamax.api;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Settings for {@link NetworkDevice#open(String, DeviceOptions)}. Start from {@link #defaults()}
 * and change what you need with the {@code with…} methods.
 *
 * <p>The record checks each value against the limits below; a device checks the rest when it
 * is opened, before it touches anything: queue counts above what the driver drives (e1000: 1,
 * igb, ixgbe and virtio-net: 16 each way) are refused with a {@link
 * DeviceException} naming the driver's limit. A virtio-net device learns whether it has enough
 * queue pairs only from the device itself, when the features are negotiated, and is refused
 * there with the reason.
 *
 * @param rxQueues number of receive queues, at least 1 (and at most what the driver drives)
 * @param txQueues number of transmit queues, at least 1 (and at most what the driver drives)
 * @param ringSize descriptors per ring (virtual devices: packets per ring), a power of two from
 *     {@value #MIN_RING_SIZE} to {@value #MAX_RING_SIZE}; hardware drivers clamp it to what
 *     the device supports
 * @param bufferCount buffers in the device's receive mempool, from 1 to {@link
 *     Mempool#MAX_ENTRY_COUNT}
 * @param dmaSource memory for the device's receive buffers and rings, not null
 * @param takeOverFrom a user-space driver ({@link #USER_SPACE_DRIVERS}) that open may take a PCI
 *     device from; {@code null} (the default) refuses a device bound to any of them
 * @param dma how a PCI device is given DMA addresses: {@link DmaMode#AUTO} (the default) uses
 *     VFIO and the IOMMU where the device can, physical addresses otherwise
 * @param rss how a device with several receive queues spreads flows over them; {@code null}
 *     (the default) is {@link Rss#spread(int)} over {@code rxQueues}. Its table must name only
 *     queues below {@code rxQueues}; ignored with one receive queue
 */
public record DeviceOptions(int rxQueues, int txQueues, int ringSize, int bufferCount,
    DmaSource dmaSource, @Nullable String takeOverFrom, DmaMode dma, @Nullable Rss rss) {

  /**
   * Kernel drivers that hand a PCI device to a user-space program (DPDK, a VM, another
   * Panamax): a device bound to one of them may be in use, so open refuses it unless {@link
   * #withTakeOverFrom(String)} names that driver.
   */
  public static final List<String> USER_SPACE_DRIVERS = List.of("vfio-pci", "uio_pci_generic", "igb_uio");

  /** Default ring size, as in ixy. */
  public static final int DEFAULT_RING_SIZE = 512;

  /** Default number of receive buffers per device. */
  public static final int DEFAULT_BUFFER_COUNT = 4096;

  /** The smallest ring size. */
  public static final int MIN_RING_SIZE = 2;

  /** The largest ring size. */
  public static final int MAX_RING_SIZE = 32768;

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException naming the field, its value and the allowed range
   * @throws NullPointerException if dmaSource or dma is null
   */
  public DeviceOptions {
    if (rxQueues < 1) {
      throw new IllegalArgumentException("rxQueues " + rxQueues + ": must be at least 1");
    }
    if (rss != null && rss.queuesUsed() > rxQueues) {
      throw new IllegalArgumentException("rss: the redirection table names queue "
          + (rss.queuesUsed() - 1) + ", but rxQueues is " + rxQueues);
    }
    if (txQueues < 1) {
      throw new IllegalArgumentException("txQueues " + txQueues + ": must be at least 1");
    }
    if (ringSize < MIN_RING_SIZE || ringSize > MAX_RING_SIZE || Integer.bitCount(ringSize) != 1) {
      throw new IllegalArgumentException("ringSize " + ringSize
          + ": must be a power of two between " + MIN_RING_SIZE + " and " + MAX_RING_SIZE);
    }
    if (bufferCount < 1 || bufferCount > Mempool.MAX_ENTRY_COUNT) {
      throw new IllegalArgumentException("bufferCount " + bufferCount
          + ": must be between 1 and " + Mempool.MAX_ENTRY_COUNT + " (Mempool.MAX_ENTRY_COUNT)");
    }
    Objects.requireNonNull(dmaSource, "DeviceOptions: dmaSource must not be null");
    Objects.requireNonNull(dma, "DeviceOptions: dma must not be null");
    if (takeOverFrom != null && !USER_SPACE_DRIVERS.contains(takeOverFrom)) {
      throw new IllegalArgumentException("takeOverFrom must be one of " + USER_SPACE_DRIVERS
          + ", got \"" + takeOverFrom + "\"");
    }
  }

  /**
   * Creates options that refuse devices bound to a user-space driver.
   *
   * @param rxQueues number of receive queues, at least 1
   * @param txQueues number of transmit queues, at least 1
   * @param ringSize descriptors per ring, a power of two
   * @param bufferCount buffers in the device's receive mempool
   * @param dmaSource memory for the device's receive buffers and rings
   */
  public DeviceOptions(int rxQueues, int txQueues, int ringSize, int bufferCount, DmaSource dmaSource) {
    this(rxQueues, txQueues, ringSize, bufferCount, dmaSource, null, DmaMode.AUTO, null);
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
    return new DeviceOptions(rxQueues, txQueues, size, bufferCount, dmaSource, takeOverFrom, dma, rss);
  }

  /**
   * Returns a copy with other queue counts.
   *
   * @param rx receive queues
   * @param tx transmit queues
   * @return the new options
   */
  public DeviceOptions withQueues(int rx, int tx) {
    return new DeviceOptions(rx, tx, ringSize, bufferCount, dmaSource, takeOverFrom, dma, rss);
  }

  /**
   * Returns a copy with another buffer count.
   *
   * @param count receive buffers
   * @return the new options
   */
  public DeviceOptions withBufferCount(int count) {
    return new DeviceOptions(rxQueues, txQueues, ringSize, count, dmaSource, takeOverFrom, dma, rss);
  }

  /**
   * Returns a copy with another DMA source.
   *
   * @param source memory for rings and buffers
   * @return the new options
   */
  public DeviceOptions withDmaSource(DmaSource source) {
    return new DeviceOptions(rxQueues, txQueues, ringSize, bufferCount, source, takeOverFrom, dma, rss);
  }

  /**
   * Returns a copy that lets open take a PCI device bound to exactly this user-space driver
   * (unbinding it, and binding it back on close). Without it such a device is refused: another
   * program may be using it.
   *
   * @param driver one of {@link #USER_SPACE_DRIVERS}, e.g. "vfio-pci"
   * @return the new options
   * @throws IllegalArgumentException if the driver is not one of them
   */
  public DeviceOptions withTakeOverFrom(String driver) {
    return new DeviceOptions(rxQueues, txQueues, ringSize, bufferCount, dmaSource, driver, dma, rss);
  }

  /**
   * Returns a copy with another DMA mode: VFIO and the IOMMU, physical addresses, or automatic
   * (see {@link DmaMode}).
   *
   * @param mode the mode
   * @return the new options
   */
  public DeviceOptions withDma(DmaMode mode) {
    return new DeviceOptions(rxQueues, txQueues, ringSize, bufferCount, dmaSource, takeOverFrom, mode, rss);
  }

  /**
   * Returns a copy with other RSS settings: the hash key and redirection table a device with
   * several receive queues programs.
   *
   * @param settings e.g. {@link Rss#symmetric(int)}; its table must name only queues below
   *     {@link #rxQueues()}
   * @return the new options
   */
  public DeviceOptions withRss(Rss settings) {
    return new DeviceOptions(rxQueues, txQueues, ringSize, bufferCount, dmaSource, takeOverFrom, dma,
        Objects.requireNonNull(settings, "withRss: settings must not be null"));
  }

  /**
   * Returns the RSS settings a device programs: {@link #rss()}, or {@link Rss#spread(int)} over
   * the receive queues when none were given.
   *
   * @return the settings
   * @throws IllegalArgumentException if no settings were given and rxQueues exceeds {@link
   *     Rss#MAX_QUEUES}
   */
  public Rss effectiveRss() {
    return rss != null ? rss : Rss.spread(rxQueues);
  }
}
