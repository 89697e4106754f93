package dev.panamax.impl.virtual;

import dev.panamax.api.DeviceException;
import dev.panamax.api.DeviceOptions;
import dev.panamax.api.LinkStatus;
import dev.panamax.api.MacAddress;
import dev.panamax.api.PacketBatch;
import dev.panamax.impl.device.BaseDevice;
import dev.panamax.impl.observe.QueueFigures;
import dev.panamax.impl.dma.DmaMemory;
import dev.panamax.impl.mempool.MempoolImpl;
import dev.panamax.impl.mempool.PacketBuffer;
import java.lang.foreign.Arena;

/**
 * A null device ({@code null:NAME}), like DPDK's net_null: transmit counts the packets and frees
 * them at once; receive hands out packets of {@value #RX_LENGTH} bytes from the device's own
 * pool, as fast as asked. Their content is unspecified (zeros until buffers are reused). Useful
 * as a traffic source and sink for forwarding code and benchmarks.
 *
 * <p>The receive pool lives in an automatic arena, so packets the application still holds
 * after {@link #close()} stay valid until they become unreachable.
 */
public final class NullDevice extends BaseDevice {
  /** Length of received packets: a minimum Ethernet frame without FCS. */
  public static final int RX_LENGTH = 60;

  private static final int ENTRY_SIZE = 2048;

  private final MempoolImpl pool;
  private final MacAddress mac;
  private final String txConsumer;
  private boolean promiscuous;

  private NullDevice(String address, MempoolImpl pool) {
    super(address, "null", QUEUES, QUEUES);
    this.pool = pool;
    this.mac = new MacAddress(0x0200_0000_0000L | (address.hashCode() & 0xFFFF_FFFFL));
    this.txConsumer = "txBatch on " + address;
  }

  /** Receive and transmit queues of a null device. */
  public static final int QUEUES = 1;

  /**
   * Opens a null device.
   *
   * @param name the device name after {@code null:}
   * @param options {@code bufferCount} sizes the receive pool; at most {@value #QUEUES} queue
   *     each way
   * @return the device
   * @throws DeviceException if the options ask for more queues, or the pool's memory cannot be
   *     allocated
   */
  public static NullDevice open(String name, DeviceOptions options) {
    final String address = "null:" + name;
    checkQueueCounts(address, options, "null", QUEUES, QUEUES);
    final int count = options.bufferCount();
    final DmaMemory memory;
    try {
      memory = DmaMemory.allocateVirtual(Arena.ofAuto(), (long) ENTRY_SIZE * count);
    } catch (OutOfMemoryError e) {
      throw new DeviceException(address, "allocate receive buffers", count + " buffers of "
          + ENTRY_SIZE + " bytes do not fit: " + e.getMessage(), e);
    }
    return new NullDevice(address, new MempoolImpl(address + " rx", memory, ENTRY_SIZE, count));
  }

  @Override
  protected boolean rxReady(int queue) {
    return false; // a sink never receives
  }

  @Override
  public int rxBatch(int queue, PacketBatch batch, int max) {
    checkRxBatch(queue, batch, max);
    final int n = pool.allocBatch(batch, max, RX_LENGTH);
    rxPackets += n;
    rxBytes += (long) n * RX_LENGTH;
    return n;
  }

  @Override
  public int txBatch(int queue, PacketBatch batch) {
    checkTxBatch(queue, batch);
    int sent = 0;
    long bytes = 0;
    // The pool of the packet before, checked already (its pool checks are not repeated).
    MempoolImpl checked = null;
    try {
      while (!batch.isEmpty()) {
        final PacketBuffer buffer = MempoolImpl.takeForDevice(batch, txConsumer, checked);
        checked = buffer.pool();
        bytes += buffer.lengthForDevice();
        buffer.pool().completeFromDevice(buffer);
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
  public LinkStatus linkStatus() {
    return new LinkStatus(!isClosed(), 0);
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
  public QueueFigures queueFigures(int queue) {
    return new QueueFigures(queue, 0, 0, 0, 0, pool);
  }

  @Override
  protected void release() {
    // Nothing in flight: transmitted packets were freed at once, the pool's memory is automatic.
  }
}
