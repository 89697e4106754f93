package dev.panamax.impl.virtio;

import dev.panamax.api.DeviceException;
import dev.panamax.impl.dma.DmaMemory;
import dev.panamax.impl.pci.PciConfig;
import dev.panamax.impl.pci.PciOpener;
import dev.panamax.impl.unsafe.Mmio;
import java.lang.foreign.Arena;
import java.util.Arrays;

/**
 * Modern virtio PCI interface (4.1.4): vendor-specific capabilities locate the common
 * configuration, notification area and device configuration inside memory BARs.
 */
final class ModernTransport implements VirtioTransport {
  // virtio_pci_cap.cfg_type values (4.1.4).
  private static final int COMMON_CFG = 1;
  private static final int NOTIFY_CFG = 2;
  private static final int DEVICE_CFG = 4;

  // struct virtio_pci_common_cfg (4.1.4.3).
  private static final int DEVICE_FEATURE_SELECT = 0x00;
  private static final int DEVICE_FEATURE = 0x04;
  private static final int DRIVER_FEATURE_SELECT = 0x08;
  private static final int DRIVER_FEATURE = 0x0C;
  private static final int NUM_QUEUES = 0x12;
  private static final int DEVICE_STATUS = 0x14;
  private static final int QUEUE_SELECT = 0x16;
  private static final int QUEUE_SIZE = 0x18;
  private static final int QUEUE_MSIX_VECTOR = 0x1A;
  private static final int QUEUE_ENABLE = 0x1C;
  private static final int QUEUE_NOTIFY_OFF = 0x1E;
  private static final int QUEUE_DESC = 0x20;
  private static final int QUEUE_DRIVER = 0x28;
  private static final int QUEUE_DEVICE = 0x30;

  private final Mmio common;
  private final long commonBase;
  private final Mmio notify;
  private final long notifyBase;
  private final int notifyMultiplier;
  private final Mmio device;
  private final long deviceBase;
  /** queue_notify_off of each virtqueue, as read when it was set up (4.1.4.4). */
  private int[] notifyOffsets = new int[0];

  private record Region(Mmio bar, long offset) {}

  private ModernTransport(Region common, Region notify, int notifyMultiplier, Region device) {
    this.common = common.bar();
    this.commonBase = common.offset();
    this.notify = notify.bar();
    this.notifyBase = notify.offset();
    this.notifyMultiplier = notifyMultiplier;
    this.device = device.bar();
    this.deviceBase = device.offset();
  }

  /**
   * Finds the capabilities (4.1.4.1) and maps the BARs they point into.
   *
   * @param address device address for messages
   * @param config configuration space with capabilities
   * @param pci the claimed device, which maps BARs (through VFIO or sysfs)
   * @param arena owner of the mappings
   * @return the transport
   */
  static ModernTransport open(String address, PciConfig config, PciOpener.Context pci, Arena arena) {
    final Mmio[] bars = new Mmio[6];
    Region common = null;
    Region notify = null;
    Region device = null;
    int multiplier = 0;
    for (int cap : config.capabilities()) {
      if (config.u8(cap) != PciConfig.CAP_VENDOR_SPECIFIC) {
        continue;
      }
      final int type = config.u8(cap + 3);
      final int bar = config.u8(cap + 4);
      if (bar > 5 || (type != COMMON_CFG && type != NOTIFY_CFG && type != DEVICE_CFG)) {
        continue;
      }
      // 4.1.4.1: the driver uses the first capability of each type it can use.
      if ((type == COMMON_CFG && common != null) || (type == NOTIFY_CFG && notify != null)
          || (type == DEVICE_CFG && device != null)) {
        continue;
      }
      if (bars[bar] == null) {
        bars[bar] = pci.mapBar(bar, arena);
      }
      final Region region = new Region(bars[bar], config.u32(cap + 8) & 0xFFFF_FFFFL);
      switch (type) {
        case COMMON_CFG -> common = region;
        case NOTIFY_CFG -> {
          notify = region;
          multiplier = config.u32(cap + 16);
        }
        default -> device = region;
      }
    }
    if (common == null || notify == null || device == null) {
      throw new DeviceException(address, "find virtio capabilities",
          "common, notify or device configuration capability missing (is config space readable?)");
    }
    return new ModernTransport(common, notify, multiplier, device);
  }

  @Override
  public boolean isModern() {
    return true;
  }

  @Override
  public long deviceFeatures() {
    common.write32(commonBase + DEVICE_FEATURE_SELECT, 0);
    final long low = common.read32(commonBase + DEVICE_FEATURE) & 0xFFFF_FFFFL;
    common.write32(commonBase + DEVICE_FEATURE_SELECT, 1);
    final long high = common.read32(commonBase + DEVICE_FEATURE) & 0xFFFF_FFFFL;
    return low | (high << 32);
  }

  @Override
  public void driverFeatures(long features) {
    common.write32(commonBase + DRIVER_FEATURE_SELECT, 0);
    common.write32(commonBase + DRIVER_FEATURE, (int) features);
    common.write32(commonBase + DRIVER_FEATURE_SELECT, 1);
    common.write32(commonBase + DRIVER_FEATURE, (int) (features >>> 32));
  }

  @Override
  public int status() {
    return common.read8(commonBase + DEVICE_STATUS) & 0xFF;
  }

  @Override
  public void setStatus(int status) {
    common.write8(commonBase + DEVICE_STATUS, (byte) status);
  }

  @Override
  public int maxQueueSize(int queue) {
    // num_queues (4.1.4.3), read now: a virtio-net device adds its further queue pairs (and
    // moves its control queue) once VIRTIO_NET_F_MQ is accepted.
    if (queue >= (common.read16(commonBase + NUM_QUEUES) & 0xFFFF)) {
      return 0;
    }
    common.write16(commonBase + QUEUE_SELECT, (short) queue);
    return common.read16(commonBase + QUEUE_SIZE) & 0xFFFF;
  }

  @Override
  public boolean canResizeQueues() {
    return true;
  }

  @Override
  public boolean setQueueVector(int queue, int vector) {
    common.write16(commonBase + QUEUE_SELECT, (short) queue);
    common.write16(commonBase + QUEUE_MSIX_VECTOR, (short) vector);
    return (common.read16(commonBase + QUEUE_MSIX_VECTOR) & 0xFFFF) == vector;
  }

  @Override
  public void setUpQueue(
      int queue, int size, DmaMemory memory, long descOffset, long availOffset, long usedOffset) {
    // 4.1.5.1.3: select, size, ring addresses, then queue_enable = 1.
    common.write16(commonBase + QUEUE_SELECT, (short) queue);
    common.write16(commonBase + QUEUE_SIZE, (short) size);
    memory.programAddressRegisters(common, commonBase + QUEUE_DESC, commonBase + QUEUE_DESC + 4, descOffset);
    memory.programAddressRegisters(common, commonBase + QUEUE_DRIVER, commonBase + QUEUE_DRIVER + 4, availOffset);
    memory.programAddressRegisters(common, commonBase + QUEUE_DEVICE, commonBase + QUEUE_DEVICE + 4, usedOffset);
    if (queue >= notifyOffsets.length) {
      notifyOffsets = Arrays.copyOf(notifyOffsets, queue + 1);
    }
    notifyOffsets[queue] = common.read16(commonBase + QUEUE_NOTIFY_OFF) & 0xFFFF;
    common.write16(commonBase + QUEUE_ENABLE, (short) 1);
  }

  @Override
  public void notifyQueue(int queue) {
    // 4.1.4.4: cap.offset + queue_notify_off * notify_off_multiplier; the value is the index.
    notify.write16(notifyBase + (long) notifyOffsets[queue] * notifyMultiplier, (short) queue);
  }

  @Override
  public int deviceConfig8(int offset) {
    return device.read8(deviceBase + offset) & 0xFF;
  }

  @Override
  public void close() {
    // The BAR mappings belong to the device's arena.
  }
}
