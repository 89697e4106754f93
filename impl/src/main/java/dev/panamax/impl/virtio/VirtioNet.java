package dev.panamax.impl.virtio;

import dev.panamax.api.DeviceException;
import dev.panamax.api.DeviceOptions;
import dev.panamax.api.DmaSource;
import dev.panamax.api.LinkStatus;
import dev.panamax.api.MacAddress;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;
import dev.panamax.impl.device.BaseDevice;
import dev.panamax.impl.observe.QueueFigures;
import dev.panamax.impl.device.DeviceMemory;
import dev.panamax.impl.dma.DmaMemory;
import dev.panamax.impl.device.InterruptLine;
import dev.panamax.impl.dma.DmaSpace;
import dev.panamax.impl.mempool.MempoolImpl;
import dev.panamax.impl.mempool.PacketBuffer;
import dev.panamax.impl.pci.PciOpener;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.jspecify.annotations.Nullable;

/**
 * virtio-net driver (virtio 1.0, 5.1) for legacy and modern PCI devices: one receive queue,
 * one transmit queue, and the control queue when offered. Polling only; no interrupts.
 *
 * <p>Features (5.1.3): the driver accepts only MAC, STATUS, CTRL_VQ, CTRL_RX, plus ANY_LAYOUT
 * (legacy) or VERSION_1 (modern), so it runs on any backend, including QEMU's hub: no checksum
 * or segmentation offload is required or used. Every packet is preceded, in the mempool
 * headroom, by a zeroed struct virtio_net_hdr (5.1.6): 10 bytes (legacy, no MRG_RXBUF) or 12
 * bytes (VERSION_1), so each buffer is one descriptor.
 */
public final class VirtioNet extends BaseDevice {
  /** Receive and transmit queues this driver drives: one virtqueue each way. */
  public static final int QUEUES = 1;

  static final int F_MAC = 5;
  static final int F_STATUS = 16;
  static final int F_CTRL_VQ = 17;
  static final int F_CTRL_RX = 18;
  static final int F_ANY_LAYOUT = 27;
  static final int F_VERSION_1 = 32;
  /** VIRTIO_F_ACCESS_PLATFORM (6.1): the device reaches memory through the platform IOMMU. */
  static final int F_ACCESS_PLATFORM = 33;

  private static final int RX_QUEUE = 0;
  private static final int TX_QUEUE = 1;
  private static final int CTRL_QUEUE = 2;
  /** Bytes per receive buffer. */
  public static final int ENTRY_SIZE = 2048;
  /** DMA memory for the virtqueues, in bytes. */
  public static final long RING_MEMORY = 2L << 20;
  private static final long CTRL_TIMEOUT_NS = 5_000_000_000L;

  private static final ValueLayout.OfLong ZERO64 = ValueLayout.JAVA_LONG_UNALIGNED;
  private static final ValueLayout.OfInt ZERO32 = ValueLayout.JAVA_INT_UNALIGNED;
  private static final ValueLayout.OfShort ZERO16 = ValueLayout.JAVA_SHORT_UNALIGNED;

  private final PciOpener.Context context;
  private final VirtioTransport transport;
  private final long features;
  private final int headerLength;
  private final MempoolImpl rxPool;
  private final Virtqueue rx;
  private final Virtqueue tx;
  private final @Nullable Virtqueue ctrl;
  private final long ctrlBuffer;
  private final MacAddress mac;
  private final String rxConsumer;
  private final String txConsumer;
  /** Where the device's DMA addresses live: physical, or the VFIO container. */
  private final DmaSpace space;
  /** MSI-X vector 0 of the receive queue, through VFIO; {@code null} when receivers poll. */
  private @Nullable InterruptLine rxInterrupt;
  private boolean promiscuous;

  private VirtioNet(PciOpener.Context context, VirtioTransport transport, long features,
      MempoolImpl rxPool, Virtqueue rx, Virtqueue tx, @Nullable Virtqueue ctrl, long ctrlBuffer) {
    super(context.address(), "virtio", QUEUES, QUEUES);
    this.context = context;
    this.transport = transport;
    this.features = features;
    this.headerLength = transport.isModern() ? 12 : 10;
    this.rxPool = rxPool;
    this.rx = rx;
    this.tx = tx;
    this.ctrl = ctrl;
    this.ctrlBuffer = ctrlBuffer;
    this.mac = readMac();
    this.rxConsumer = "rx ring of " + context.address();
    this.txConsumer = "txBatch on " + context.address();
    this.space = tx.ring().space();
  }

  /**
   * Initialises the device (3.1.1) after {@link PciOpener#check} passed. DMA memory is
   * allocated before the kernel driver is unbound; any failure after that resets the device and
   * binds the kernel driver back.
   *
   * @param context the checked device
   * @param options ring size (modern devices; legacy queue sizes are fixed) and buffer count
   * @return the running device
   */
  public static VirtioNet open(PciOpener.Context context, DeviceOptions options) {
    final String address = context.address();
    checkQueueCounts(address, options, "virtio", QUEUES, QUEUES);
    final DeviceMemory memory = DeviceMemory.allocate(address, options, RING_MEMORY, ENTRY_SIZE,
        !context.usesVfio());
    final Arena arena = memory.arena();
    final DmaMemory ringMemory = memory.rings();
    final MempoolImpl rxPool = memory.rxPool();
    String step = "open transport";
    VirtioTransport transport = null;
    try {
      context.attach();
      step = "map DMA memory";
      ringMemory.assignTo(context.dmaSpace());
      context.dmaSpace().makeReachable(rxPool.memory());
      step = "open transport";
      transport = context.entry().family() == dev.panamax.impl.pci.PciIds.Family.VIRTIO_MODERN
          ? ModernTransport.open(address, context.config(), context, arena)
          : new LegacyTransport(context.sysfs().openIoResource(0));
      step = "reset device";
      reset(transport);
      // 3.1.1 steps 2-3.
      transport.setStatus(VirtioTransport.ACKNOWLEDGE);
      transport.setStatus(VirtioTransport.ACKNOWLEDGE | VirtioTransport.DRIVER);
      step = "negotiate features";
      final long features = negotiate(transport, context.usesVfio());
      step = "enable bus mastering";
      context.enableBusMaster();
      step = "route the receive interrupt";
      final InterruptLine line = context.usesVfio() ? context.openInterrupt(true) : null;
      final boolean rxInterrupt = line != null && line.describe().startsWith("MSI-X")
          && transport.setQueueVector(RX_QUEUE, 0);
      step = "set up virtqueues";
      final Virtqueue rx = queue(transport, RX_QUEUE, options.ringSize(), ringMemory, 0);
      final Virtqueue tx = queue(transport, TX_QUEUE, options.ringSize(), ringMemory,
          Virtqueue.bytesNeeded(rx.size()));
      Virtqueue ctrl = null;
      long next = Virtqueue.bytesNeeded(rx.size()) + Virtqueue.bytesNeeded(tx.size());
      if ((features & (1L << F_CTRL_VQ)) != 0) {
        ctrl = queue(transport, CTRL_QUEUE, 64, ringMemory, next);
        next += Virtqueue.bytesNeeded(ctrl.size());
      }
      step = "start device";
      // 3.1.1 step 8.
      transport.setStatus(VirtioTransport.ACKNOWLEDGE | VirtioTransport.DRIVER
          | (transport.isModern() ? VirtioTransport.FEATURES_OK : 0) | VirtioTransport.DRIVER_OK);
      if ((transport.status() & VirtioTransport.DEVICE_NEEDS_RESET) != 0) {
        throw new IllegalStateException("device set DEVICE_NEEDS_RESET");
      }
      final VirtioNet device = new VirtioNet(context, transport, features, rxPool, rx, tx, ctrl, next);
      device.describeDma(context.dmaDescription());
      device.watchRemoval(context::removalRequested);
      device.rxInterrupt = rxInterrupt ? line : null;
      step = "fill receive ring";
      device.refillRx();
      if (device.ctrl != null && (features & (1L << F_CTRL_RX)) != 0) {
        step = "turn promiscuous mode off";
        device.setPromiscuous(false);
      }
      return device;
    } catch (RuntimeException e) {
      if (transport != null) {
        try {
          transport.setStatus(0);
          transport.close();
        } catch (RuntimeException ignored) {
          // The original failure is what the caller needs to see.
        }
      }
      final String rebind = context.release();
      throw new DeviceException(address, step, e.getMessage() + rebind, e);
    }
  }

  /**
   * Resets a device that a process left running when it died (bus mastering is off already, so
   * it no longer reaches memory): writing 0 to the device status resets it (2.1.2, 4.1.4.3.2),
   * after which it uses no queue.
   *
   * @param context the claimed device
   * @throws DeviceException at step "reset device" if the status does not return to 0
   */
  public static void resetAfterCrash(PciOpener.Context context) {
    try (Arena arena = Arena.ofConfined()) {
      final VirtioTransport transport =
          context.entry().family() == dev.panamax.impl.pci.PciIds.Family.VIRTIO_MODERN
              ? ModernTransport.open(context.address(), context.config(), context, arena)
              : new LegacyTransport(context.sysfs().openIoResource(0));
      try {
        reset(transport);
      } finally {
        transport.close();
      }
    } catch (IllegalStateException e) {
      throw new DeviceException(context.address(), "reset device", e.getMessage(), e);
    }
  }

  /** 3.1.1 step 1 and 4.1.4.3.2: write 0, wait until the device reads back 0. */
  private static void reset(VirtioTransport transport) {
    transport.setStatus(0);
    final long deadline = System.nanoTime() + CTRL_TIMEOUT_NS;
    while (transport.status() != 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("device status did not return to 0 after reset");
      }
      Thread.onSpinWait();
    }
  }

  /** A device without VIRTIO_F_ACCESS_PLATFORM met on the VFIO path. */
  public static final class BypassesIommuException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** The reason, for messages and for the automatic mode's warning. */
    public static final String REASON = "the virtio device does not offer"
        + " VIRTIO_F_ACCESS_PLATFORM, so it bypasses the IOMMU (QEMU: iommu_platform=on)";

    BypassesIommuException() {
      super(REASON + " and cannot be driven through VFIO; use --dma physical");
    }
  }

  /** 3.1.1 steps 4-6: accept only what the driver needs. */
  private static long negotiate(VirtioTransport transport, boolean iommu) {
    final long offered = transport.deviceFeatures();
    long wanted = (1L << F_MAC) | (1L << F_STATUS) | (1L << F_CTRL_VQ) | (1L << F_CTRL_RX);
    // 6.1: a device offering VIRTIO_F_ACCESS_PLATFORM translates our addresses through the
    // platform's IOMMU; the driver must accept it. Without it the device would read I/O virtual
    // addresses as physical ones, so the VFIO path refuses such a device.
    if ((offered & (1L << F_ACCESS_PLATFORM)) != 0) {
      wanted |= 1L << F_ACCESS_PLATFORM;
    } else if (iommu) {
      throw new BypassesIommuException();
    }
    if (transport.isModern()) {
      if ((offered & (1L << F_VERSION_1)) == 0) {
        throw new IllegalStateException("modern device does not offer VIRTIO_F_VERSION_1");
      }
      wanted |= 1L << F_VERSION_1;
    } else {
      if ((offered & (1L << F_ANY_LAYOUT)) == 0) {
        throw new IllegalStateException("legacy device does not offer VIRTIO_F_ANY_LAYOUT,"
            + " which one-descriptor packets need");
      }
      wanted |= 1L << F_ANY_LAYOUT;
    }
    final long accepted = offered & wanted;
    transport.driverFeatures(accepted);
    if (transport.isModern()) {
      transport.setStatus(VirtioTransport.ACKNOWLEDGE | VirtioTransport.DRIVER
          | VirtioTransport.FEATURES_OK);
      if ((transport.status() & VirtioTransport.FEATURES_OK) == 0) {
        throw new IllegalStateException("device did not accept features 0x" + Long.toHexString(accepted));
      }
    }
    return accepted;
  }

  private static Virtqueue queue(VirtioTransport transport, int index, int wanted, DmaMemory memory, long base) {
    final int max = transport.maxQueueSize(index);
    if (max == 0) {
      throw new IllegalStateException("virtqueue " + index + " does not exist");
    }
    final int size = transport.canResizeQueues() ? Math.min(max, Integer.highestOneBit(wanted)) : max;
    if (base + Virtqueue.bytesNeeded(size) > memory.size() - 4096) {
      throw new IllegalStateException("virtqueue " + index + " of size " + size + " does not fit");
    }
    final Virtqueue queue = new Virtqueue(index, size, memory, base);
    transport.setUpQueue(index, size, memory, queue.descOffset(), queue.availOffset(), queue.usedOffset());
    return queue;
  }

  private MacAddress readMac() {
    if ((features & (1L << F_MAC)) == 0) {
      return new MacAddress(0);
    }
    final byte[] octets = new byte[6];
    for (int i = 0; i < 6; i++) {
      octets[i] = (byte) transport.deviceConfig8(i);
    }
    return MacAddress.of(octets);
  }

  // ---- data path ----

  /** Posts free descriptors with fresh buffers (5.1.6.3) and notifies if the device wants it. */
  private void refillRx() {
    final int capacity = rxPool.packetCapacity();
    int added = 0;
    while (rx.freeDescriptors() > 0) {
      final PacketBuffer buffer = rxPool.allocForDevice(rxConsumer);
      if (buffer == null) {
        break;
      }
      rx.addBuffer(buffer, buffer.dataOffsetInMemory() - headerLength, headerLength + capacity,
          Virtqueue.DESC_F_WRITE);
      added++;
    }
    if (added > 0) {
      rx.publish();
      if (rx.needsNotify()) {
        notify(RX_QUEUE);
      }
    }
  }

  @Override
  protected void releaseOwnUsers() {
    rxPool.releaseThread();
  }

  @Override
  protected boolean rxReady(int queue) {
    return rx.hasUsed(rx.usedIndex());
  }

  /**
   * Sleeps on the receive queue's MSI-X vector when the device has one (VFIO): asks the device
   * for used-buffer notifications, checks the used ring once more (a buffer used before the
   * device saw the request is not signalled), sleeps, and turns notifications off again.
   * Without one it polls like every device.
   */
  @Override
  public boolean awaitReceive(int queue, int timeoutMillis) {
    checkRxQueue(queue);
    checkRxUser(queue, "awaitReceive");
    final InterruptLine line = rxInterrupt;
    if (line == null || timeoutMillis <= 0) {
      return super.awaitReceive(queue, timeoutMillis);
    }
    if (rxReady(queue)) {
      return true;
    }
    rx.enableInterrupts(true);
    try {
      if (!rxReady(queue)) {
        line.await(timeoutMillis);
      }
    } finally {
      rx.enableInterrupts(false);
    }
    return rxReady(queue);
  }

  @Override
  public QueueFigures queueFigures(int queue) {
    return new QueueFigures(queue, rx.size(), rx.size() - rx.freeDescriptors(), tx.size(),
        tx.size() - tx.freeDescriptors(), rxPool);
  }

  @Override
  public int rxBatch(int queue, PacketBatch batch, int max) {
    checkRxBatch(queue, batch, max);
    watch();
    // Before any buffer is taken: a refused thread leaves the ring as it was.
    rxPool.checkThread(rxConsumer);
    final int n = Math.min(max, batch.remaining());
    final int usedIndex = rx.usedIndex();
    int received = 0;
    long bytes = 0;
    while (received < n && rx.hasUsed(usedIndex)) {
      final PacketBuffer buffer = rx.takeUsedBuffer();
      final int length = rx.lastLength() - headerLength;
      if (length < 0) {
        rxErrors++;
        rxPool.completeFromDevice(buffer);
        continue;
      }
      batch.add(MempoolImpl.receive(buffer, length));
      bytes += length;
      received++;
    }
    rxPackets += received;
    rxBytes += bytes;
    if (rx.freeDescriptors() > 0) {
      refillRx();
    }
    return received;
  }

  @Override
  public int txBatch(int queue, PacketBatch batch) {
    checkTxBatch(queue, batch);
    if (!watch()) {
      return 0; // link down: push back, the caller keeps its packets
    }
    reclaimTx();
    int sent = 0;
    long bytes = 0;
    try {
      while (!batch.isEmpty() && tx.freeDescriptors() > 0) {
        // Both checks run while the packet is still in the batch: on error the caller keeps it.
        MempoolImpl.checkReachable(batch.get(0), space, address());
        final PacketBuffer buffer = MempoolImpl.takeForDevice(batch, txConsumer);
        final int length = buffer.lengthForDevice();
        zeroHeader(buffer.entrySegment());
        tx.addBuffer(buffer, buffer.dataOffsetInMemory() - headerLength, headerLength + length, 0);
        bytes += length;
        sent++;
      }
    } finally {
      // Also on a refused packet: what was already queued is given to the device and counted.
      if (sent > 0) {
        tx.publish();
        if (tx.needsNotify()) {
          notify(TX_QUEUE);
        }
      }
      txPackets += sent;
      txBytes += bytes;
    }
    return sent;
  }

  /** struct virtio_net_hdr with flags 0 and gso_type VIRTIO_NET_HDR_GSO_NONE (5.1.6.2). */
  private void zeroHeader(MemorySegment entry) {
    final long start = MempoolImpl.HEADROOM - headerLength;
    entry.set(ZERO64, start, 0L);
    if (headerLength == 12) {
      entry.set(ZERO32, start + 8, 0);
    } else {
      entry.set(ZERO16, start + 8, (short) 0);
    }
  }

  /** Returns transmitted buffers to their pools (5.1.6.2.1). */
  private void reclaimTx() {
    final int usedIndex = tx.usedIndex();
    while (tx.hasUsed(usedIndex)) {
      final PacketBuffer buffer = tx.takeUsedBuffer();
      buffer.pool().completeFromDevice(buffer);
    }
  }

  // ---- control ----

  /**
   * Reads the device status (2.1). While Panamax drives it, a working device shows DRIVER_OK
   * and not DEVICE_NEEDS_RESET; a device that left the bus reads 0xff or 0 there (or its I/O
   * port file fails), and one that failed sets DEVICE_NEEDS_RESET (2.1.1). Then, with
   * VIRTIO_NET_F_STATUS, bit 0 (VIRTIO_NET_S_LINK_UP) of the config status (5.1.4).
   */
  @Override
  protected boolean probeLink() {
    final int status;
    try {
      status = transport.status();
    } catch (RuntimeException e) {
      deviceGone("reading the device status failed: " + e.getMessage());
      return false;
    }
    if (status == 0xFF || (status & VirtioTransport.DRIVER_OK) == 0
        || (status & VirtioTransport.DEVICE_NEEDS_RESET) != 0) {
      deviceGone(String.format("the device status reads 0x%02x, not DRIVER_OK", status));
      return false;
    }
    return (features & (1L << F_STATUS)) == 0 || (transport.deviceConfig8(6) & 1) != 0;
  }

  /** Notifies a queue (4.1.4.4, 4.1.5.2); a device that is gone ends the call with its error. */
  private void notify(int queue) {
    try {
      transport.notifyQueue(queue);
    } catch (RuntimeException e) {
      deviceGone("notifying queue " + queue + " failed: " + e.getMessage());
      watch();
    }
  }

  @Override
  public LinkStatus linkStatus() {
    // Speed is not part of virtio-net's config without VIRTIO_NET_F_SPEED_DUPLEX: 0 = unknown.
    return look() && lastLinkUp() ? new LinkStatus(true, 0) : LinkStatus.DOWN;
  }

  @Override
  public MacAddress macAddress() {
    return mac;
  }

  @Override
  public void setPromiscuous(boolean enabled) {
    final Virtqueue queue = ctrl;
    if (queue == null || (features & (1L << F_CTRL_RX)) == 0) {
      throw new DeviceException(address(), "set promiscuous mode",
          "the device offers no control queue with VIRTIO_NET_F_CTRL_RX");
    }
    // 5.1.6.5.1: class VIRTIO_NET_CTRL_RX (0), command VIRTIO_NET_CTRL_RX_PROMISC (0).
    final DmaMemory memory = queue.ring();
    final MemorySegment segment = memory.segment();
    segment.set(ValueLayout.JAVA_BYTE, ctrlBuffer, (byte) 0);
    segment.set(ValueLayout.JAVA_BYTE, ctrlBuffer + 1, (byte) 0);
    segment.set(ValueLayout.JAVA_BYTE, ctrlBuffer + 16, (byte) (enabled ? 1 : 0));
    segment.set(ValueLayout.JAVA_BYTE, ctrlBuffer + 32, (byte) 0xFF);
    queue.writeDescriptor(0, memory, ctrlBuffer, 2, Virtqueue.DESC_F_NEXT, 1);
    queue.writeDescriptor(1, memory, ctrlBuffer + 16, 1, Virtqueue.DESC_F_NEXT, 2);
    queue.writeDescriptor(2, memory, ctrlBuffer + 32, 1, Virtqueue.DESC_F_WRITE, 0);
    queue.pushAvailable(0);
    queue.publish();
    transport.notifyQueue(CTRL_QUEUE);
    final long deadline = System.nanoTime() + CTRL_TIMEOUT_NS;
    while (!queue.hasUsed(queue.usedIndex())) {
      if (System.nanoTime() > deadline) {
        throw new DeviceException(address(), "set promiscuous mode", "no answer on the control queue");
      }
      Thread.onSpinWait();
    }
    queue.takeUsedId();
    final int ack = segment.get(ValueLayout.JAVA_BYTE, ctrlBuffer + 32);
    if (ack != 0) {
      throw new DeviceException(address(), "set promiscuous mode", "device answered " + ack);
    }
    promiscuous = enabled;
  }

  @Override
  public boolean isPromiscuous() {
    return promiscuous;
  }

  /**
   * Tells whether this device uses the modern interface.
   *
   * @return true for virtio 1.0 modern
   */
  public boolean isModern() {
    return transport.isModern();
  }

  @Override
  protected void release() {
    // Reset first: after the status reads 0 the device no longer touches any buffer (2.1.2).
    // A device that stopped answering is not reset (it would never read 0); it cannot reach
    // memory any more, so its buffers go back to the pools.
    try {
      if (look()) {
        reset(transport);
      }
    } finally {
      rx.drainBuffers(b -> b.pool().returnOnClose(b));
      tx.drainBuffers(b -> b.pool().returnOnClose(b));
      transport.close();
      context.releaseOnClose();
    }
  }
}
