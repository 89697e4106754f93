package dev.panamax.impl.virtual;

import dev.panamax.api.DeviceException;
import dev.panamax.api.DeviceOptions;
import dev.panamax.api.LinkStatus;
import dev.panamax.api.MacAddress;
import dev.panamax.api.PacketBatch;
import dev.panamax.impl.device.BaseDevice;
import dev.panamax.impl.observe.QueueFigures;
import dev.panamax.impl.mempool.MempoolImpl;
import dev.panamax.impl.mempool.PacketBuffer;
import dev.panamax.impl.mempool.UserThread;
import java.util.HashMap;
import java.util.Map;

/**
 * One end of an in-memory link ({@code pair:NAME:0} or {@code pair:NAME:1}), like DPDK's
 * net_ring: what one end transmits, the other receives, zero-copy (the same buffer moves).
 *
 * <p>Each direction is a bounded ring of {@code ringSize} packets. A full ring pushes back:
 * {@link #txBatch} accepts only what fits and leaves the rest in the caller's batch. Packets in a
 * ring are in flight; they return to their pools when both ends are closed.
 *
 * <p>Single-threaded: both ends and the pools of the packets they carry are used from one
 * thread, the link's user: rxBatch and txBatch on either end from any other live thread are
 * refused before a ring is touched. One queue each way.
 */
public final class PairDevice extends BaseDevice {
  /** Receive and transmit queues of each end. */
  public static final int QUEUES = 1;

  private static final Map<String, Link> LINKS = new HashMap<>();

  private final Link link;
  private final int end;
  private final PacketRing inbound;
  private final PacketRing outbound;
  private final MacAddress mac;
  private final String txConsumer;
  private final String rxConsumer;
  private boolean promiscuous;

  private static final class Link {
    final String name;
    final PacketRing[] rings;
    final boolean[] open = new boolean[2];
    /** The one thread that may use both ends: their rings are plain arrays. */
    final UserThread user = new UserThread();
    final String label;

    Link(String name, int ringSize) {
      this.name = name;
      this.label = "pair '" + name + "'";
      this.rings = new PacketRing[] {new PacketRing(ringSize), new PacketRing(ringSize)};
    }
  }

  private PairDevice(String address, Link link, int end) {
    super(address, "pair", QUEUES, QUEUES);
    this.link = link;
    this.end = end;
    this.outbound = link.rings[end];
    this.inbound = link.rings[1 - end];
    this.mac = new MacAddress(0x0200_0000_0000L | ((link.name.hashCode() & 0x7F_FFFFL) << 1) | end);
    this.txConsumer = "txBatch on " + address;
    this.rxConsumer = "rxBatch on " + address;
  }

  /**
   * Opens one end of the link named {@code name}, creating the link on first use.
   *
   * @param spec the spec as given, for messages
   * @param name link name
   * @param end 0 or 1
   * @param options ring size is used when the link is created; at most {@value #QUEUES} queue
   *     each way
   * @return the device
   * @throws DeviceException if the end is already open or the options ask for more queues
   */
  public static PairDevice open(String spec, String name, int end, DeviceOptions options) {
    checkQueueCounts(spec, options, "pair", QUEUES, QUEUES);
    synchronized (LINKS) {
      final Link link = LINKS.computeIfAbsent(name, n -> new Link(n, options.ringSize()));
      if (link.open[end]) {
        throw new DeviceException(spec, "open in-memory pair end", "end " + end + " of pair '"
            + name + "' is already open; close it first");
      }
      link.open[end] = true;
      return new PairDevice("pair:" + name + ":" + end, link, end);
    }
  }

  @Override
  protected boolean rxReady(int queue) {
    return inbound.size() > 0;
  }

  @Override
  public int rxBatch(int queue, PacketBatch batch, int max) {
    checkRxBatch(queue, batch, max);
    link.user.check(link.label, rxConsumer);
    final int n = Math.min(max, batch.remaining());
    int received = 0;
    long bytes = 0;
    try {
      while (received < n) {
        final PacketBuffer buffer = inbound.poll();
        if (buffer == null) {
          break;
        }
        final int length = buffer.lengthForDevice();
        batch.add(MempoolImpl.receive(buffer, length));
        bytes += length;
        received++;
      }
    } finally {
      rxPackets += received;
      rxBytes += bytes;
    }
    return received;
  }

  @Override
  public int txBatch(int queue, PacketBatch batch) {
    checkTxBatch(queue, batch);
    link.user.check(link.label, txConsumer);
    int sent = 0;
    long bytes = 0;
    // The pool of the packet before, checked already (its pool checks are not repeated).
    MempoolImpl checked = null;
    try {
      while (!batch.isEmpty() && !outbound.isFull()) {
        // Checks ownership before the packet leaves the batch: on error the caller keeps it.
        final PacketBuffer buffer = MempoolImpl.takeForDevice(batch, txConsumer, checked);
        checked = buffer.pool();
        bytes += buffer.lengthForDevice();
        outbound.offer(buffer);
        sent++;
      }
    } finally {
      // Also when a packet is refused: what was sent before it is counted.
      txPackets += sent;
      txBytes += bytes;
    }
    return sent;
  }

  @Override
  protected void releaseOwnUsers() {
    link.user.release();
  }

  @Override
  public LinkStatus linkStatus() {
    synchronized (LINKS) {
      return link.open[0] && link.open[1] ? new LinkStatus(true, 0) : LinkStatus.DOWN;
    }
  }

  @Override
  public MacAddress macAddress() {
    return mac;
  }

  @Override
  public void setPromiscuous(boolean enabled) {
    promiscuous = enabled;
  }

  @Override
  public boolean isPromiscuous() {
    return promiscuous;
  }

  @Override
  public boolean monitorLinkUp() {
    return linkStatus().up();
  }

  @Override
  public QueueFigures queueFigures(int queue) {
    return new QueueFigures(queue, inbound.capacity(), inbound.size(), outbound.capacity(),
        outbound.size(), null);
  }

  /**
   * Returns how many packets wait in the ring towards this end.
   *
   * @return packets this end can receive now
   */
  public int pendingRx() {
    return inbound.size();
  }

  @Override
  protected void release() {
    synchronized (LINKS) {
      link.open[end] = false;
      if (!link.open[1 - end]) {
        LINKS.remove(link.name);
        for (PacketRing ring : link.rings) {
          for (PacketBuffer b = ring.poll(); b != null; b = ring.poll()) {
            b.pool().returnOnClose(b);
          }
        }
      }
    }
  }
}
