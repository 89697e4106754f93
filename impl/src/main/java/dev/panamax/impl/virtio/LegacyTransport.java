package dev.panamax.impl.virtio;

import dev.panamax.impl.dma.DmaMemory;
import dev.panamax.impl.pci.IoBar;
import dev.panamax.impl.unsafe.PortIo;

/**
 * Legacy virtio PCI interface (4.1.4.8): registers in I/O BAR 0, reached by port I/O on the
 * sysfs resource file. Without MSI-X the device-specific configuration starts at 0x14. Each
 * register is accessed with its own width, in bytes ({@link #U8}, {@link #U16}, {@link #U32}).
 */
final class LegacyTransport implements VirtioTransport {
  private static final int DEVICE_FEATURES = 0x00;
  private static final int GUEST_FEATURES = 0x04;
  private static final int QUEUE_ADDRESS = 0x08;
  private static final int QUEUE_SIZE = 0x0C;
  private static final int QUEUE_SELECT = 0x0E;
  private static final int QUEUE_NOTIFY = 0x10;
  private static final int DEVICE_STATUS = 0x12;
  private static final int DEVICE_CONFIG = 0x14;
  private static final int U8 = 1;
  private static final int U16 = 2;
  private static final int U32 = 4;

  private final IoBar bar;
  private final PortIo ports;

  LegacyTransport(IoBar bar) {
    this.bar = bar;
    this.ports = bar.ports();
  }

  @Override
  public boolean isModern() {
    return false;
  }

  @Override
  public long deviceFeatures() {
    return Integer.toUnsignedLong(ports.in(DEVICE_FEATURES, U32));
  }

  @Override
  public void driverFeatures(long features) {
    ports.out(GUEST_FEATURES, U32, (int) features);
  }

  @Override
  public int status() {
    return ports.in(DEVICE_STATUS, U8);
  }

  @Override
  public void setStatus(int status) {
    ports.out(DEVICE_STATUS, U8, status);
  }

  @Override
  public int maxQueueSize(int queue) {
    ports.out(QUEUE_SELECT, U16, queue);
    return ports.in(QUEUE_SIZE, U16);
  }

  @Override
  public boolean canResizeQueues() {
    return false;
  }

  @Override
  public void setUpQueue(
      int queue, int size, DmaMemory memory, long descOffset, long availOffset, long usedOffset) {
    // 4.1.5.1.5.1 (legacy): select the queue, then write the page frame number of the
    // descriptor table; the rings follow at the fixed legacy layout (2.4.2).
    ports.out(QUEUE_SELECT, U16, queue);
    memory.programPageFrame32(ports, QUEUE_ADDRESS, descOffset);
  }

  @Override
  public void notifyQueue(int queue) {
    ports.out(QUEUE_NOTIFY, U16, queue);
  }

  @Override
  public int deviceConfig8(int offset) {
    return ports.in(DEVICE_CONFIG + offset, U8);
  }

  @Override
  public void close() {
    bar.close();
  }
}
