package dev.panamax.api;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A network device driven from user space: a PCI NIC or an in-memory virtual device.
 *
 * <p>Open one with {@link #open(String)}. Device specs:
 *
 * <ul>
 *   <li>a PCI address, {@code 0000:03:00.0} or {@code 03:00.0}: a NIC driven by Panamax;
 *   <li>{@code pair:NAME:0} and {@code pair:NAME:1}: the two ends of an in-memory link; what one
 *       end transmits the other receives, through a bounded ring that pushes back when full;
 *   <li>{@code null:NAME}: a sink that counts and frees what it transmits, and whose receive
 *       side returns freshly allocated 60-byte packets, like DPDK's net_null.
 * </ul>
 *
 * <p>Each queue is used by one thread. Receive and transmit never allocate on the Java heap.
 */
public interface NetworkDevice extends AutoCloseable {

  /**
   * Opens a device with {@link DeviceOptions#defaults()}.
   *
   * @param spec a PCI address or a virtual device name
   * @return the opened device
   * @throws DeviceException naming the device and the step that failed
   */
  static NetworkDevice open(String spec) {
    return open(spec, DeviceOptions.defaults());
  }

  /**
   * Opens a device.
   *
   * @param spec a PCI address or a virtual device name ({@code NAME}: 1 to 64 of {@code
   *     A-Z a-z 0-9 _ . -})
   * @param options queue, ring and buffer settings; queue counts above what the driver drives
   *     are refused before the device is touched
   * @return the opened device
   * @throws DeviceException naming the device (cut after 80 characters) and the step that failed
   * @throws NullPointerException if spec or options is null
   */
  static NetworkDevice open(String spec, DeviceOptions options) {
    Objects.requireNonNull(spec, "NetworkDevice.open: spec must not be null");
    Objects.requireNonNull(options, "NetworkDevice.open: options must not be null");
    return Panamax.provider().open(spec, options);
  }

  /**
   * Recovers a PCI device that a process left behind when it died with the device open (killed,
   * crashed): the device may still be running and writing to that process's DMA memory, which
   * Panamax keeps reserved until then. Claims the device, stops it (Bus Master Enable off, then
   * the family's reset) unless a kernel driver has taken it back, deletes the dead process's DMA
   * memory files, and binds the kernel driver the device had before. Opening the device does
   * the same first; this does it without opening. Does nothing to a device no dead process left.
   *
   * @param spec a PCI address
   * @return what was done, one line naming the device
   * @throws DeviceException naming the device and the step that failed (e.g. held by a live
   *     process)
   */
  static String recover(String spec) {
    return Panamax.provider().recover(spec);
  }

  /**
   * Prepares PCI devices, once and as root, to be opened through VFIO, also by a user without
   * root. Runs every check that can refuse a device first, for all of them (it exists, is a
   * supported network controller, its kernel interface is down and has no address, no Panamax
   * app holds it, it has an IOMMU group whose other devices are all bound to vfio-pci or
   * harmless, a hugetlbfs is mounted); then, for each device, binds it to vfio-pci, records its
   * kernel driver in {@code /run/panamax/<address>.bound}, and, if a user is named, makes {@code
   * /dev/vfio/<group>} and the device's lock file in {@code /run/panamax} the user's and makes
   * {@code /run/panamax} and the hugepage directory {@code <hugetlbfs>/panamax} writable for
   * every user (mode 1777, sticky). Devices already bound this way are bound again as asked.
   * If a step fails, every device of this call is given back to the driver it had.
   *
   * @param specs PCI addresses
   * @param user a user name or numeric uid to grant the devices to, or {@code null} for root only
   * @param progress receives one line per step done
   * @return one binding per device, in order
   * @throws DeviceException naming the device and the step that failed
   */
  static List<VfioBinding> bindToVfio(List<String> specs, @Nullable String user,
      Consumer<String> progress) {
    Objects.requireNonNull(specs, "NetworkDevice.bindToVfio: specs must not be null");
    Objects.requireNonNull(progress, "NetworkDevice.bindToVfio: progress must not be null");
    return Panamax.provider().bindToVfio(specs, user, progress);
  }

  /**
   * Gives PCI devices bound by {@link #bindToVfio} back to their kernel drivers, as root: refuses
   * a device a Panamax app holds or that {@code bindToVfio} did not bind (checked for all devices
   * first), then unbinds vfio-pci, binds the recorded kernel driver, takes the lock file back
   * for root and deletes the record.
   *
   * @param specs PCI addresses
   * @param progress receives one line per step done
   * @throws DeviceException naming the device and the step that failed
   */
  static void unbindFromVfio(List<String> specs, Consumer<String> progress) {
    Objects.requireNonNull(specs, "NetworkDevice.unbindFromVfio: specs must not be null");
    Objects.requireNonNull(progress, "NetworkDevice.unbindFromVfio: progress must not be null");
    Panamax.provider().unbindFromVfio(specs, progress);
  }

  /**
   * Moves up to {@code max} received packets into the batch (never more than it has room for).
   * Arguments are checked before anything moves. Packets already in the batch stay in front,
   * in order; if it throws after receiving some, those stay in the batch, owned by the caller,
   * and are counted in {@link #stats()}.
   *
   * @param queue the receive queue, from 0 to {@code rxQueueCount() - 1}
   * @param batch the batch to append to; it owns the packets afterwards
   * @param max the largest number of packets wanted, at least 0
   * @return the number of packets appended, from 0 to {@code min(max, batch.remaining())}
   * @throws IndexOutOfBoundsException if queue is out of range
   * @throws IllegalArgumentException if max is negative
   * @throws IllegalStateException if the device is closed
   */
  int rxBatch(int queue, PacketBatch batch, int max);

  /**
   * Queues packets from the front of the batch for transmission. Packets the device accepted
   * leave the batch and belong to the device until it has sent them; the rest stay in the
   * batch, in order, owned by the caller (retry or free them).
   *
   * <p>A packet that cannot be sent (a handle already consumed, a packet of no Panamax pool,
   * memory the device cannot reach, a pool whose arena is closed) stops the call with an exception while that packet is still
   * at the front of the batch: the packets before it were queued and counted in {@link
   * #stats()}, that packet and the rest stay in the batch, in order.
   *
   * @param queue the transmit queue, from 0 to {@code txQueueCount() - 1}
   * @param batch the packets to send
   * @return the number of packets accepted
   * @throws IndexOutOfBoundsException if queue is out of range
   * @throws IllegalStateException if the device is closed
   * @throws PacketOwnershipException if the front packet is a consumed handle
   * @throws PanamaxException if the front packet's pool was retired by closing its arena,
   *     naming the pool
   */
  int txBatch(int queue, PacketBatch batch);

  /**
   * Returns counters since the device was opened, with the time they were read.
   *
   * @return a snapshot of the counters
   */
  DeviceStats stats();

  /**
   * Returns counters for a monitoring thread (a metrics registry, JMX, JFR): unlike {@link
   * #stats()}, it may be called from any thread while the queues run, and never reads the
   * device's registers. The driver's own counters are as last written by the queue threads;
   * counters only the hardware keeps (e.g. frames missed for lack of buffers) are those read
   * by the last {@link #stats()} call. On in-memory devices it equals {@link #stats()}.
   *
   * @return a snapshot of the counters
   */
  default DeviceStats monitorStats() {
    return stats();
  }

  /**
   * Returns the current link state.
   *
   * @return link up or down, and speed
   */
  LinkStatus linkStatus();

  /**
   * Returns the device's MAC address.
   *
   * @return the MAC address
   */
  MacAddress macAddress();

  /**
   * Turns promiscuous mode on or off.
   *
   * @param enabled {@code true} to receive frames for any destination
   */
  void setPromiscuous(boolean enabled);

  /**
   * Tells whether promiscuous mode is on.
   *
   * @return {@code true} if the device receives frames for any destination
   */
  boolean isPromiscuous();

  /**
   * Returns what one queue moved: receive queue {@code queue} and transmit queue {@code queue}
   * (a queue number a device has only one way of reports zeros for the other). Call it from any
   * thread, e.g. a statistics thread: the figures may lag the queue's thread slightly.
   *
   * @param queue from 0 to {@code max(rxQueueCount(), txQueueCount()) - 1}
   * @return the queue's counters
   * @throws IndexOutOfBoundsException if the queue does not exist
   */
  QueueStats queueStats(int queue);

  /**
   * Returns the number of receive queues.
   *
   * @return the receive queue count
   */
  int rxQueueCount();

  /**
   * Returns the number of transmit queues.
   *
   * @return the transmit queue count
   */
  int txQueueCount();

  /**
   * Returns the driver's name, e.g. {@code "virtio"}, {@code "pair"}, {@code "null"}.
   *
   * @return the driver name
   */
  String driverName();

  /**
   * Waits until receive queue {@code queue} has packets, or {@code timeoutMillis} passed, without
   * keeping a core busy: a PCI device driven through VFIO sleeps on its receive interrupt (INTx,
   * MSI or MSI-X routed to an eventfd); other devices check the queue every 100 µs in between
   * short sleeps. Returns at once when packets are waiting. Call it from the queue's receiving
   * thread when {@link #rxBatch} returned 0, instead of polling again at once: it trades a few
   * microseconds of latency for an idle CPU.
   *
   * @param queue the receive queue
   * @param timeoutMillis at most this long, from 0 to {@link Integer#MAX_VALUE}
   * @return {@code true} if packets are waiting (the next {@code rxBatch} returns some, unless
   *     the device was stopped), {@code false} if the time ran out
   * @throws IllegalArgumentException if the queue does not exist or the timeout is negative
   */
  default boolean awaitReceive(int queue, int timeoutMillis) {
    if (timeoutMillis < 0) {
      throw new IllegalArgumentException("awaitReceive: timeout " + timeoutMillis + " ms must not be negative");
    }
    return true;
  }

  /**
   * Describes how the device reaches memory, one phrase for a start-up line: e.g. {@code "DMA
   * through the IOMMU: vfio-pci, IOMMU group 3"}, {@code "DMA with physical addresses, not
   * confined by an IOMMU: --dma physical"}, {@code "no DMA: an in-memory device"}, or, when
   * {@link DmaMode#AUTO} found no usable IOMMU, a text starting with {@code "warning: "} that
   * gives the reason.
   *
   * @return the description
   */
  default String dmaDescription() {
    return "DMA mode not reported by " + getClass().getSimpleName();
  }

  /**
   * Returns the canonical spec of the device, e.g. {@code "0000:03:00.0"}.
   *
   * @return the device address
   */
  String address();

  /**
   * Lets other threads take over the device's queues and its receive pools. Each queue is used
   * by one thread: the first that calls rxBatch, txBatch or awaitReceive on it becomes its user,
   * and while that thread is alive any other thread is refused with an {@link
   * IllegalStateException} naming both, before anything is changed. Opening a device leaves
   * every queue free; call this when moving queues to other threads after using them.
   */
  void releaseThreads();

  /**
   * Stops the device, waits until it no longer touches its buffers, and releases it. Packets in
   * flight on the device return to their pools, also to pools whose arena is already closed.
   * Until then the device keeps the memory of those buffers mapped, also when the application no
   * longer references the device. Idempotent.
   */
  @Override
  void close();
}
