package dev.panamax.impl.virtio;

import dev.panamax.impl.dma.DmaMemory;
import dev.panamax.impl.unsafe.PortIo;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Legacy virtio PCI interface (4.1.4.8): registers in I/O BAR 0, reached by port I/O on the
 * sysfs resource file. Without MSI-X the device-specific configuration starts at 0x14.
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

  private final PortIo ports;

  LegacyTransport(PortIo ports) {
    this.ports = ports;
  }

  @Override
  public boolean isModern() {
    return false;
  }

  @Override
  public long deviceFeatures() {
    return ports.in32(DEVICE_FEATURES) & 0xFFFF_FFFFL;
  }

  @Override
  public void driverFeatures(long features) {
    ports.out32(GUEST_FEATURES, (int) features);
  }

  @Override
  public int status() {
    return ports.in8(DEVICE_STATUS) & 0xFF;
  }

  @Override
  public void setStatus(int status) {
    ports.out8(DEVICE_STATUS, (byte) status);
  }

  @Override
  public int maxQueueSize(int queue) {
    ports.out16(QUEUE_SELECT, (short) queue);
    return ports.in16(QUEUE_SIZE) & 0xFFFF;
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
    ports.out16(QUEUE_SELECT, (short) queue);
    memory.programPageFrame32(ports, QUEUE_ADDRESS, descOffset);
  }

  @Override
  public void notifyQueue(int queue) {
    ports.out16(QUEUE_NOTIFY, (short) queue);
  }

  @Override
  public int deviceConfig8(int offset) {
    return ports.in8(DEVICE_CONFIG + offset) & 0xFF;
  }

  @Override
  public void close() {
    try {
      ports.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the I/O BAR: " + e, e);
    }
  }
}
