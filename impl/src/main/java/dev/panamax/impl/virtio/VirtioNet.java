package dev.panamax.impl.virtio;

import dev.panamax.api.DeviceException;
import dev.panamax.api.DeviceOptions;
import dev.panamax.api.DmaSource;
import dev.panamax.api.LinkStatus;
import dev.panamax.api.MacAddress;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;
import dev.panamax.api.QueueStats;
import dev.panamax.api.Rss;
import dev.panamax.impl.device.BaseDevice;
import dev.panamax.impl.observe.QueueFigures;
import dev.panamax.impl.device.DeviceMemory;
import dev.panamax.impl.dma.DmaMemory;
import dev.panamax.impl.device.InterruptLine;
import dev.panamax.impl.device.QueueCounters;
import dev.panamax.impl.dma.DmaSpace;
import dev.panamax.impl.mempool.MempoolImpl;
import dev.panamax.impl.pci.PciOpener;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * virtio-net driver (virtio 1.1, 5.1) for legacy and modern PCI devices: one receive and one
 * transmit virtqueue per queue pair, and the control queue when offered. Polling; on the VFIO
 * path a one-queue receiver may sleep on its MSI-X vector.
 *
 * <p>Features (5.1.3): the driver accepts only MAC, STATUS, CTRL_VQ, CTRL_RX, plus ANY_LAYOUT
 * (legacy) or VERSION_1 (modern), so it runs on any backend, including QEMU's hub: no checksum
 * or segmentation offload is required or used. Every packet is preceded, in the mempool
 * headroom, by a zeroed struct virtio_net_hdr (5.1.6): 10 bytes (legacy, no MRG_RXBUF) or 12
 * bytes (VERSION_1), so each buffer is one descriptor.
 *
 * <p>Several queues (5.1.6.5.5): asked for more than one receive or transmit queue, the driver
 * also accepts VIRTIO_NET_F_MQ, sets up that many pairs and enables them with
 * VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET; the device then steers each flow to a receive queue of its
 * choice. With several receive queues and VIRTIO_NET_F_RSS offered, it accepts that too and
 * programs the Toeplitz key, hash types and redirection table of {@link
 * DeviceOptions#effectiveRss()} with VIRTIO_NET_CTRL_MQ_RSS_CONFIG (5.1.6.5.7), so flows land
 * where {@link dev.panamax.api.Rss} predicts. A device without MQ (QEMU: a single-queue backend
 * such as its hub) is refused at "negotiate features" with the reason.
 */
public final class VirtioNet extends BaseDevice {
  /** Queue pairs this driver drives at most. */
  public static final int MAX_QUEUES = 16;

  static final int F_MAC = 5;
  static final int F_STATUS = 16;
  static final int F_CTRL_VQ = 17;
  static final int F_CTRL_RX = 18;
  /** VIRTIO_NET_F_MQ: several receive/transmit virtqueue pairs with automatic steering. */
  static final int F_MQ = 22;
  static final int F_ANY_LAYOUT = 27;
  static final int F_VERSION_1 = 32;
  /** VIRTIO_F_ACCESS_PLATFORM (6.1): the device reaches memory through the platform IOMMU. */
  static final int F_ACCESS_PLATFORM = 33;
  /** VIRTIO_NET_F_RSS: the device spreads flows by a Toeplitz hash the driver configures. */
  static final int F_RSS = 60;

  // struct virtio_net_config (5.1.4), byte offsets.
  private static final int CFG_STATUS = 6;
  private static final int CFG_MAX_VIRTQUEUE_PAIRS = 8;
  private static final int CFG_RSS_MAX_KEY_SIZE = 17;
  private static final int CFG_RSS_MAX_INDIRECTION_TABLE_LENGTH = 18;
  private static final int CFG_SUPPORTED_HASH_TYPES = 20;

  // Control classes and commands (5.1.6.5).
  private static final int CTRL_RX = 0;
  private static final int CTRL_RX_PROMISC = 0;
  private static final int CTRL_MQ = 4;
  private static final int CTRL_MQ_VQ_PAIRS_SET = 0;
  private static final int CTRL_MQ_RSS_CONFIG = 1;
  /** VIRTIO_NET_OK, the control queue's ack for success (5.1.6.5). */
  private static final int CTRL_OK = 0;

  /**
   * Hash types (5.1.6.5.7.1) the driver asks for, where the device supports them: IPv4 and
   * IPv6 addresses, plus TCP and UDP ports, the fields the Intel drivers' RSS hashes too.
   */
  private static final int HASH_TYPES = 0x3F;

  /** Bytes per receive buffer. */
  public static final int ENTRY_SIZE = 2048;
  /** DMA memory for the virtqueues of one queue pair, in bytes; more pairs get more. */
  public static final long RING_MEMORY = 2L << 20;
  private static final long CTRL_TIMEOUT_NS = 5_000_000_000L;
  /** Entries of the control queue. */
  private static final int CTRL_SIZE = 64;

  private final PciOpener.Context context;
  private final VirtioTransport transport;
  private final long features;
  private final int headerLength;
  /** Receive queue q's pool and virtqueue (virtqueue index 2q, 5.1.2). */
  private final MempoolImpl[] rxPools;
  private final Virtqueue[] rxQueues;
  /** Transmit queue q's virtqueue (index 2q + 1). */
  private final Virtqueue[] txQueues;
  private final @Nullable Virtqueue ctrl;
  private final long ctrlBuffer;
  private final MacAddress mac;
  private final String[] rxConsumers;
  private final String[] txConsumers;
  private final QueueCounters queueCounters;
  /** Notifications (kicks) per transmit queue, for -Dpanamax.hwstats: one trap each in a VM. */
  private final long[] txKicks;
  /** Where the device's DMA addresses live: physical, or the VFIO container. */
  private final DmaSpace space;
  /** MSI-X vector 0 of the receive queue, through VFIO; {@code null} when receivers poll. */
  private @Nullable InterruptLine rxInterrupt;
  private boolean promiscuous;

  private VirtioNet(PciOpener.Context context, VirtioTransport transport, long features,
      List<MempoolImpl> rxPools, Virtqueue[] rxQueues, Virtqueue[] txQueues,
      @Nullable Virtqueue ctrl, long ctrlBuffer) {
    super(context.address(), "virtio", rxQueues.length, txQueues.length);
    this.context = context;
    this.transport = transport;
    this.features = features;
    this.headerLength = transport.isModern() ? 12 : 10;
    this.rxPools = rxPools.toArray(new MempoolImpl[0]);
    this.rxQueues = rxQueues;
    this.txQueues = txQueues;
    this.txKicks = new long[txQueues.length];
    this.ctrl = ctrl;
    this.ctrlBuffer = ctrlBuffer;
    this.mac = readMac();
    this.rxConsumers = new String[rxQueues.length];
    this.txConsumers = new String[txQueues.length];
    for (int q = 0; q < rxQueues.length; q++) {
      rxConsumers[q] = "rx ring " + q + " of " + context.address();
    }
    for (int q = 0; q < txQueues.length; q++) {
      txConsumers[q] = "txBatch on " + context.address() + " queue " + q;
    }
    this.queueCounters = new QueueCounters(context.address(),
        Math.max(rxQueues.length, txQueues.length));
    this.space = txQueues[0].ring().space();
  }

  /**
   * Initialises the device (3.1.1) after {@link PciOpener#check} passed. DMA memory is
   * allocated before the kernel driver is unbound; any failure after that resets the device and
   * binds the kernel driver back.
   *
   * @param context the checked device
   * @param options ring size (modern devices; legacy queue sizes are fixed), buffer count,
   *     queue counts and RSS
   * @return the running device
   */
  public static VirtioNet open(PciOpener.Context context, DeviceOptions options) {
    final String address = context.address();
    checkQueueCounts(address, options, "virtio", MAX_QUEUES, MAX_QUEUES);
    final int pairs = Math.max(options.rxQueues(), options.txQueues());
    final DeviceMemory memory = DeviceMemory.allocate(address, options,
        ringMemory(pairs, options.ringSize()), ENTRY_SIZE, !context.usesVfio());
    final Arena arena = memory.arena();
    final DmaMemory ringMemory = memory.rings();
    String step = "open transport";
    VirtioTransport transport = null;
    try {
      context.attach();
      step = "map DMA memory";
      ringMemory.assignTo(context.dmaSpace());
      for (MempoolImpl pool : memory.rxPools()) {
        context.dmaSpace().makeReachable(pool.memory());
      }
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
      final long features = negotiate(transport, context.usesVfio(), options);
      // 5.1.2: with MQ (or RSS) the control queue follows max_virtqueue_pairs pairs.
      final int devicePairs = (features & ((1L << F_MQ) | (1L << F_RSS))) != 0
          ? config16(transport, CFG_MAX_VIRTQUEUE_PAIRS) : 1;
      step = "enable bus mastering";
      context.enableBusMaster();
      step = "route the receive interrupt";
      final InterruptLine line = context.usesVfio() ? context.openInterrupt(true) : null;
      // One vector, for receive queue 0: only a one-queue receiver sleeps on it.
      final boolean rxInterrupt = line != null && options.rxQueues() == 1
          && line.describe().startsWith("MSI-X") && transport.setQueueVector(0, 0);
      step = "set up virtqueues";
      final Virtqueue[] rx = new Virtqueue[options.rxQueues()];
      final Virtqueue[] tx = new Virtqueue[options.txQueues()];
      long next = 0;
      for (int q = 0; q < pairs; q++) {
        if (q < rx.length) {
          rx[q] = queue(transport, 2 * q, options.ringSize(), ringMemory, next);
          next += Virtqueue.bytesNeeded(rx[q].size());
        }
        if (q < tx.length) {
          tx[q] = queue(transport, 2 * q + 1, options.ringSize(), ringMemory, next);
          next += Virtqueue.bytesNeeded(tx[q].size());
        }
      }
      Virtqueue ctrl = null;
      if ((features & (1L << F_CTRL_VQ)) != 0) {
        ctrl = queue(transport, 2 * devicePairs, CTRL_SIZE, ringMemory, next);
        next += Virtqueue.bytesNeeded(ctrl.size());
      }
      step = "start device";
      // 3.1.1 step 8.
      transport.setStatus(VirtioTransport.ACKNOWLEDGE | VirtioTransport.DRIVER
          | (transport.isModern() ? VirtioTransport.FEATURES_OK : 0) | VirtioTransport.DRIVER_OK);
      if ((transport.status() & VirtioTransport.DEVICE_NEEDS_RESET) != 0) {
        throw new IllegalStateException("device set DEVICE_NEEDS_RESET");
      }
      final VirtioNet device = new VirtioNet(context, transport, features, memory.rxPools(), rx,
          tx, ctrl, next);
      device.describeDma(context.dmaDescription());
      device.watchRemoval(context::removalRequested);
      device.rxInterrupt = rxInterrupt ? line : null;
      step = "fill receive rings";
      for (int q = 0; q < rx.length; q++) {
        device.refillRx(q);
      }
      if ((features & (1L << F_RSS)) != 0) {
        step = "configure RSS (VIRTIO_NET_CTRL_MQ_RSS_CONFIG)";
        device.control(step, CTRL_MQ, CTRL_MQ_RSS_CONFIG,
            rssConfig(supportedHashTypes(transport), options.effectiveRss(), pairs));
      } else if ((features & (1L << F_MQ)) != 0) {
        step = "enable " + pairs + " queue pairs (VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET)";
        device.control(step, CTRL_MQ, CTRL_MQ_VQ_PAIRS_SET,
            ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) pairs).array());
      }
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

  /**
   * Ring memory for {@code pairs} queue pairs and the control queue, from the ring size asked
   * for (legacy devices fix their own size: QEMU's is 256, hence at least 1024 per queue here),
   * in whole 2 MiB hugepages, at least {@link #RING_MEMORY}.
   */
  static long ringMemory(int pairs, int ringSize) {
    final int perQueue = Math.max(Integer.highestOneBit(Math.max(ringSize, 1)), 1024);
    final long needed = 2L * pairs * Virtqueue.bytesNeeded(perQueue)
        + Virtqueue.bytesNeeded(CTRL_SIZE) + 2 * 4096;
    return Math.max(RING_MEMORY, (needed + RING_MEMORY - 1) / RING_MEMORY * RING_MEMORY);
  }

  /** A little-endian 16-bit field of the device configuration (5.1.4). */
  private static int config16(VirtioTransport transport, int offset) {
    return transport.deviceConfig8(offset) | transport.deviceConfig8(offset + 1) << 8;
  }

  /**
   * 3.1.1 steps 4-6: accept only what the driver needs; with several queues, MQ (required)
   * and RSS (when offered and there are several receive queues).
   */
  private static long negotiate(VirtioTransport transport, boolean iommu, DeviceOptions options) {
    final long offered = transport.deviceFeatures();
    long wanted = (1L << F_MAC) | (1L << F_STATUS) | (1L << F_CTRL_VQ) | (1L << F_CTRL_RX);
    final int pairs = Math.max(options.rxQueues(), options.txQueues());
    if (pairs > 1) {
      wanted |= multiQueueFeatures(transport, offered, options, pairs);
    }
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

  /** The MQ and RSS bits for {@code pairs} > 1 queue pairs, or why the device cannot. */
  private static long multiQueueFeatures(VirtioTransport transport, long offered,
      DeviceOptions options, int pairs) {
    final String asked = options.rxQueues() >= options.txQueues()
        ? "rxQueues " + options.rxQueues() : "txQueues " + options.txQueues();
    if ((offered & (1L << F_MQ)) == 0 || (offered & (1L << F_CTRL_VQ)) == 0) {
      throw new IllegalStateException(asked + ": the device offers no VIRTIO_NET_F_MQ (with a"
          + " control queue), so it has one queue pair (QEMU: mq=on and a multi-queue backend"
          + " such as tap with queues=N; its hub has one queue)");
    }
    final int max = config16(transport, CFG_MAX_VIRTQUEUE_PAIRS);
    if (pairs > max) {
      throw new IllegalStateException(asked + ": the device has " + max
          + " queue pairs (max_virtqueue_pairs)");
    }
    long bits = 1L << F_MQ;
    if (options.rxQueues() > 1) {
      if (rssUsable(transport, offered)) {
        bits |= 1L << F_RSS;
      } else if (options.rss() != null) {
        throw new IllegalStateException("rss: the device offers no VIRTIO_NET_F_RSS with a "
            + Rss.KEY_LENGTH + "-byte key and a " + Rss.TABLE_SIZE
            + "-entry table, so it steers flows itself; leave the RSS settings unset");
      }
    }
    return bits;
  }

  /** RSS offered, with room for our key and table and at least one hash type we ask for. */
  private static boolean rssUsable(VirtioTransport transport, long offered) {
    return (offered & (1L << F_RSS)) != 0
        && transport.deviceConfig8(CFG_RSS_MAX_KEY_SIZE) >= Rss.KEY_LENGTH
        && config16(transport, CFG_RSS_MAX_INDIRECTION_TABLE_LENGTH) >= Rss.TABLE_SIZE
        && (supportedHashTypes(transport) & HASH_TYPES) != 0;
  }

  private static int supportedHashTypes(VirtioTransport transport) {
    int types = 0;
    for (int i = 0; i < 4; i++) {
      types |= transport.deviceConfig8(CFG_SUPPORTED_HASH_TYPES + i) << (8 * i);
    }
    return types;
  }

  /**
   * struct virtio_net_rss_config (5.1.6.5.7.1): the hash types we want that the device supports,
   * the 128-entry redirection table (entries name receive queues, 0 = receiveq1), unclassified
   * frames to queue 0, max_tx_vq, and the 40-byte Toeplitz key.
   *
   * @param supported the device's supported_hash_types (5.1.4)
   * @param rss the key and table
   * @param pairs queue pairs in use: max_tx_vq
   * @return the command's data, little-endian
   */
  static byte[] rssConfig(int supported, Rss rss, int pairs) {
    final byte[] key = rss.key();
    final ByteBuffer b = ByteBuffer.allocate(4 + 2 + 2 + 2 * Rss.TABLE_SIZE + 2
        + 1 + key.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(supported & HASH_TYPES);
    b.putShort((short) (Rss.TABLE_SIZE - 1)); // indirection_table_mask
    b.putShort((short) 0); // unclassified_queue
    for (int i = 0; i < Rss.TABLE_SIZE; i++) {
      b.putShort((short) rss.tableEntry(i));
    }
    b.putShort((short) pairs); // max_tx_vq
    b.put((byte) key.length);
    b.put(key);
    return b.array();
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

  /**
   * Posts free descriptors of receive queue {@code queue} with fresh buffers (5.1.6.3) and
   * notifies if the device wants it.
   */
  private void refillRx(int queue) {
    final Virtqueue rx = rxQueues[queue];
    if (rx.refill(rxPools[queue], rxConsumers[queue], headerLength) > 0) {
      rx.publish();
      if (rx.needsNotify()) {
        notify(rx.index());
      }
    }
  }

  @Override
  protected void releaseOwnUsers() {
    for (MempoolImpl pool : rxPools) {
      pool.releaseThread();
    }
  }

  @Override
  protected boolean rxReady(int queue) {
    final Virtqueue rx = rxQueues[queue];
    return rx.hasUsed(rx.usedIndex());
  }

  /**
   * Sleeps on the receive queue's MSI-X vector when the device has one (VFIO, one receive
   * queue): asks the device for used-buffer notifications, checks the used ring once more (a
   * buffer used before the device saw the request is not signalled), sleeps, and turns
   * notifications off again. Without one it polls like every device.
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
    final Virtqueue rx = rxQueues[queue];
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
    final Virtqueue rx = queue < rxQueues.length ? rxQueues[queue] : null;
    final Virtqueue tx = queue < txQueues.length ? txQueues[queue] : null;
    return new QueueFigures(queue, rx == null ? 0 : rx.size(),
        rx == null ? 0 : rx.size() - rx.freeDescriptors(), tx == null ? 0 : tx.size(),
        tx == null ? 0 : tx.size() - tx.freeDescriptors(), rx == null ? null : rxPools[queue]);
  }

  @Override
  public int rxBatch(int queue, PacketBatch batch, int max) {
    checkRxBatch(queue, batch, max);
    watch();
    final Virtqueue rx = rxQueues[queue];
    final MempoolImpl pool = rxPools[queue];
    // Before any buffer is taken: a refused thread leaves the ring as it was.
    pool.checkThread(rxConsumers[queue]);
    final int received = rx.receiveInto(batch, Math.min(max, batch.remaining()), headerLength);
    queueCounters.received(queue, received, rx.movedBytes(), rx.shortBuffers());
    if (rx.freeDescriptors() > 0) {
      refillRx(queue);
    }
    return received;
  }

  @Override
  public int txBatch(int queue, PacketBatch batch) {
    checkTxBatch(queue, batch);
    if (!watch()) {
      return 0; // link down: push back, the caller keeps its packets
    }
    final Virtqueue tx = txQueues[queue];
    final String consumer = txConsumers[queue];
    tx.reclaimSent();
    try {
      return tx.sendFrom(batch, space, address(), consumer, headerLength);
    } finally {
      // Also on a refused packet: what was already queued is given to the device and counted.
      final int sent = tx.movedPackets();
      if (sent > 0) {
        tx.publish();
        if (tx.needsNotify()) {
          txKicks[queue]++;
          notify(tx.index());
        }
      }
      queueCounters.sent(queue, sent, tx.movedBytes());
    }
  }

  // ---- counters ----

  /** Queue q's counters; the device's totals are their sums (BaseDevice's own stay 0). */
  @Override
  public QueueStats queueStats(int queue) {
    return queueCounters.stats(queue);
  }

  @Override
  protected void hardwareStats(long[] counters) {
    queueCounters.addTotals(counters);
  }

  @Override
  protected void hardwareTotals(long[] counters) {
    queueCounters.addTotals(counters);
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
    return (features & (1L << F_STATUS)) == 0 || (transport.deviceConfig8(CFG_STATUS) & 1) != 0;
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
    if (ctrl == null || (features & (1L << F_CTRL_RX)) == 0) {
      throw new DeviceException(address(), "set promiscuous mode",
          "the device offers no control queue with VIRTIO_NET_F_CTRL_RX");
    }
    try {
      control("set promiscuous mode", CTRL_RX, CTRL_RX_PROMISC, new byte[] {(byte) (enabled ? 1 : 0)});
    } catch (IllegalStateException e) {
      throw new DeviceException(address(), "set promiscuous mode", e.getMessage(), e);
    }
    promiscuous = enabled;
  }

  /**
   * Sends one command on the control queue and waits for the device's answer (5.1.6.5): a
   * chain of three descriptors, the class and command (device-readable), {@code data}
   * (device-readable) and the ack byte (device-writable), in the buffer after the control
   * queue's rings. One command at a time, so the chain always uses descriptors 0 to 2.
   *
   * @throws IllegalStateException if the device does not answer in 5 s or answers an error
   */
  private void control(String what, int commandClass, int command, byte[] data) {
    final Virtqueue queue = ctrl;
    if (queue == null) {
      throw new IllegalStateException(what + ": the device has no control queue");
    }
    final DmaMemory memory = queue.ring();
    final MemorySegment segment = memory.segment();
    final long header = ctrlBuffer;
    final long payload = ctrlBuffer + 16;
    final long ack = payload + ((data.length + 15) & -16);
    segment.set(ValueLayout.JAVA_BYTE, header, (byte) commandClass);
    segment.set(ValueLayout.JAVA_BYTE, header + 1, (byte) command);
    MemorySegment.copy(data, 0, segment, ValueLayout.JAVA_BYTE, payload, data.length);
    segment.set(ValueLayout.JAVA_BYTE, ack, (byte) 0xFF);
    queue.writeDescriptor(0, memory, header, 2, Virtqueue.DESC_F_NEXT, 1);
    queue.writeDescriptor(1, memory, payload, data.length, Virtqueue.DESC_F_NEXT, 2);
    queue.writeDescriptor(2, memory, ack, 1, Virtqueue.DESC_F_WRITE, 0);
    queue.pushAvailable(0);
    queue.publish();
    transport.notifyQueue(queue.index());
    final long deadline = System.nanoTime() + CTRL_TIMEOUT_NS;
    while (!queue.hasUsed(queue.usedIndex())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no answer on the control queue");
      }
      Thread.onSpinWait();
    }
    queue.takeUsedId();
    final int answer = segment.get(ValueLayout.JAVA_BYTE, ack);
    if (answer != CTRL_OK) {
      throw new IllegalStateException("the device answered " + answer + " (VIRTIO_NET_ERR)"
          + " to control class " + commandClass + " command " + command);
    }
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
    if (System.getProperty("panamax.hwstats") != null) {
      final java.io.PrintStream err =
          new java.io.PrintStream(System.err, true, java.nio.charset.StandardCharsets.UTF_8);
      for (int q = 0; q < txQueues.length; q++) {
        final long frames = queueCounters.stats(q).txPackets();
        err.printf(java.util.Locale.ROOT, "%s: tx queue %d: %d notifications for %d frames"
            + " (%.1f frames per notification)%n", address(), q, txKicks[q], frames,
            txKicks[q] == 0 ? 0.0 : (double) frames / txKicks[q]);
      }
    }
    // Reset first: after the status reads 0 the device no longer touches any buffer (2.1.2).
    // A device that stopped answering is not reset (it would never read 0); it cannot reach
    // memory any more, so its buffers go back to the pools.
    try {
      if (look()) {
        reset(transport);
      }
    } finally {
      for (Virtqueue rx : rxQueues) {
        rx.drainBuffers(b -> b.pool().returnOnClose(b));
      }
      for (Virtqueue tx : txQueues) {
        tx.drainBuffers(b -> b.pool().returnOnClose(b));
      }
      transport.close();
      context.releaseOnClose();
    }
  }
}
