package dev.panamax.examples;

import dev.panamax.api.MacAddress;
import dev.panamax.api.Mempool;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.PacketBatch;
import java.util.concurrent.locks.LockSupport;

/**
 * Generates {@link TestFrame}s with consecutive sequence numbers and transmits them, a batch per
 * {@link #step()}. Packets the device did not accept stay in the batch and go first next time,
 * so sequence numbers leave in order. With more than one flow, the frame with sequence number
 * {@code s} has UDP source port {@code 42 + s % flows}. A generator for transmit queue {@code q}
 * of {@code Q} (pktgen's {@code --queues}) sends the sequence numbers {@code q, q + Q, q + 2Q, ...}
 * below the total limit at 1/Q of the total rate, so Q generators together send every number
 * once and a receiver verifies them as one stream; when Q divides the flow count, each flow
 * leaves on one queue. Allocation-free after construction.
 */
public final class PacketGenerator {
  private final NetworkDevice device;
  private final Mempool pool;
  private final PacketBatch batch;
  private final TestFrame frame;
  private final int length;
  private final long limit;
  private final int flows;
  private final int queue;
  private final int stride;
  private final boolean light;
  /** Frames generated so far; the next has sequence number queue + generated * stride. */
  private long generated;
  private long sent;

  /**
   * Creates a generator.
   *
   * @param device where to send
   * @param pool where packets come from
   * @param batchSize packets per batch
   * @param length frame length without FCS
   * @param limit stop after this many packets, 0 for no limit
   */
  public PacketGenerator(NetworkDevice device, Mempool pool, int batchSize, int length, long limit) {
    this(device, pool, batchSize, length, limit, DEFAULT_DESTINATION, 0);
  }

  /**
   * Creates a generator with a destination MAC and a rate limit.
   *
   * @param device where to send
   * @param pool where packets come from
   * @param batchSize packets per batch
   * @param length frame length without FCS
   * @param limit stop after this many packets, 0 for no limit
   * @param destination destination MAC address of the frames
   * @param packetsPerSecond rate limit, 0 for as fast as the device takes them
   */
  public PacketGenerator(NetworkDevice device, Mempool pool, int batchSize, int length, long limit,
      MacAddress destination, long packetsPerSecond) {
    this(device, pool, batchSize, length, limit, destination, packetsPerSecond, 1);
  }

  /**
   * Creates a generator whose frames belong to several UDP flows.
   *
   * @param device where to send
   * @param pool where packets come from
   * @param batchSize packets per batch
   * @param length frame length without FCS
   * @param limit stop after this many packets, 0 for no limit
   * @param destination destination MAC address of the frames
   * @param packetsPerSecond rate limit, 0 for as fast as the device takes them
   * @param flows number of UDP source ports to cycle through, from {@value #FIRST_SOURCE_PORT} up
   * @throws IllegalArgumentException if flows is out of range, see {@link #checkFlows(int)}
   */
  public PacketGenerator(NetworkDevice device, Mempool pool, int batchSize, int length, long limit,
      MacAddress destination, long packetsPerSecond, int flows) {
    this(device, 0, 1, pool, batchSize, length, limit, destination, packetsPerSecond, flows);
  }

  /**
   * Creates the generator of one transmit queue out of several; see the class comment.
   *
   * @param device where to send
   * @param queue the transmit queue this generator uses, from 0
   * @param queues how many generators share the stream, one per queue
   * @param pool where packets come from (used by this generator's thread only)
   * @param batchSize packets per batch
   * @param length frame length without FCS
   * @param limit frames of all queues together, 0 for no limit
   * @param destination destination MAC address of the frames
   * @param packetsPerSecond rate of all queues together, 0 for as fast as the device takes them
   * @param flows number of UDP source ports to cycle through, from {@value #FIRST_SOURCE_PORT} up
   * @throws IllegalArgumentException if flows is out of range, see {@link #checkFlows(int)}, or
   *     queue is not below queues
   */
  public PacketGenerator(NetworkDevice device, int queue, int queues, Mempool pool, int batchSize,
      int length, long limit, MacAddress destination, long packetsPerSecond, int flows) {
    this(device, queue, queues, pool, batchSize, length, limit, destination, packetsPerSecond,
        flows, false);
  }

  /**
   * Creates the generator of one transmit queue out of several, optionally writing only headers
   * and sequence numbers (see {@link TestFrame#writeHeaders}).
   *
   * @param device where to send
   * @param queue the transmit queue this generator uses, from 0
   * @param queues how many generators share the stream, one per queue
   * @param pool where packets come from (used by this generator's thread only)
   * @param batchSize packets per batch
   * @param length frame length without FCS
   * @param limit frames of all queues together, 0 for no limit
   * @param destination destination MAC address of the frames
   * @param packetsPerSecond rate of all queues together, 0 for as fast as the device takes them
   * @param flows number of UDP source ports to cycle through, from {@value #FIRST_SOURCE_PORT} up
   * @param light {@code true} to write headers and sequence numbers only: frames a receiver
   *     cannot verify, for measuring the device path alone
   * @throws IllegalArgumentException if flows is out of range, see {@link #checkFlows(int)}, or
   *     queue is not below queues
   */
  public PacketGenerator(NetworkDevice device, int queue, int queues, Mempool pool, int batchSize,
      int length, long limit, MacAddress destination, long packetsPerSecond, int flows,
      boolean light) {
    checkFlows(flows);
    this.light = light;
    if (queues < 1 || queue < 0 || queue >= queues) {
      throw new IllegalArgumentException("queue " + queue + " of " + queues);
    }
    this.flows = flows;
    this.queue = queue;
    this.stride = queues;
    this.device = device;
    this.pool = pool;
    this.batch = new PacketBatch(batchSize);
    this.length = length;
    this.limit = limit <= 0 ? Long.MAX_VALUE : share(limit, queue, queues);
    this.frame = new TestFrame(length, destination.octets(), device.macAddress().octets());
    this.nanosPerPacket = packetsPerSecond > 0 ? 1e9 * queues / packetsPerSecond : 0;
    this.origin = System.nanoTime();
  }

  /**
   * Returns how many of the sequence numbers 0 to {@code limit - 1} are congruent to {@code queue}
   * modulo {@code queues}: the frames queue {@code queue}'s generator sends.
   *
   * @param limit frames of all queues together, at least 1
   * @param queue the queue, from 0
   * @param queues how many queues share the stream
   * @return that queue's frames
   */
  static long share(long limit, int queue, int queues) {
    return limit <= queue ? 0 : (limit - queue + queues - 1) / queues;
  }

  /** UDP source port of every {@link TestFrame}, and of the first flow. */
  public static final int FIRST_SOURCE_PORT = 42;
  /** The largest number of flows: source ports {@value #FIRST_SOURCE_PORT} to 65535. */
  public static final int MAX_FLOWS = 65536 - FIRST_SOURCE_PORT;

  /**
   * Checks a flow count.
   *
   * @param flows the number of flows wanted
   * @throws IllegalArgumentException unless flows is from 1 to {@value #MAX_FLOWS}
   */
  public static void checkFlows(int flows) {
    OptionChecks.range("--flows", flows, 1, MAX_FLOWS,
        "UDP source ports " + FIRST_SOURCE_PORT + " to 65535");
  }

  /** Destination used when none is given: a locally administered unicast address. */
  public static final MacAddress DEFAULT_DESTINATION = MacAddress.parse("52:54:00:00:00:02");

  private final double nanosPerPacket;
  /** When frame 0 was due; moved forward after a stall so that no burst catches up. */
  private long origin;

  /**
   * Fills the batch with new frames and transmits what the device takes.
   *
   * @return packets accepted by the device in this step
   */
  public int step() {
    int want = batch.remaining();
    if (nanosPerPacket > 0) {
      // Send no more than the rate allows: a token bucket that holds at most one batch, so
      // after a stall (link down, a full ring) the rate holds in every window, not only on
      // average since the start.
      final long now = System.nanoTime();
      long allowed = (long) ((now - origin) / nanosPerPacket) - generated;
      if (allowed > batch.capacity()) {
        allowed = batch.capacity();
        origin = now - (long) ((generated + allowed) * nanosPerPacket);
      }
      want = (int) Math.max(0, Math.min(want, allowed));
    }
    want = (int) Math.min(want, limit - generated);
    final int first = batch.size();
    final int added = pool.allocBatch(batch, want, length);
    for (int i = first; i < first + added; i++) {
      final long seq = queue + generated++ * stride;
      if (light) {
        frame.writeHeaders(batch.get(i), seq);
      } else {
        frame.write(batch.get(i), seq);
      }
      if (flows > 1) {
        batch.get(i).putShort(TestFrame.SOURCE_PORT_OFFSET, (short) (FIRST_SOURCE_PORT + seq % flows));
      }
    }
    final int n = device.txBatch(queue, batch);
    sent += n;
    return n;
  }

  /**
   * Tells whether the packet limit has been sent.
   *
   * @return {@code true} when done
   */
  public boolean isDone() {
    return sent >= limit;
  }

  /**
   * Returns the number of packets the device accepted.
   *
   * @return packets sent
   */
  public long sent() {
    return sent;
  }

  /** Frees the packets the device has not taken yet. */
  public void close() {
    batch.freeAll();
  }

  /**
   * Frees what the device has not taken (see {@link #close()}), then waits until the device has
   * sent every frame it accepted, i.e. until their buffers are back in the pool, so that closing
   * the device, which resets it, drops none of them. Polls transmit completions with empty
   * {@code txBatch} calls and parks briefly between polls. Gives up once no buffer has come back
   * for {@code stallNanos}: an in-memory link that nobody reads never completes.
   *
   * @param stallNanos how long to wait without progress
   * @return the number of frames still queued on the device, 0 if all were sent
   */
  public int awaitTransmitted(long stallNanos) {
    close();
    int inFlight = pool.inFlightCount();
    long lastProgress = System.nanoTime();
    while (inFlight > 0 && System.nanoTime() - lastProgress < stallNanos) {
      device.txBatch(queue, batch);
      final int now = pool.inFlightCount();
      if (now < inFlight) {
        inFlight = now;
        lastProgress = System.nanoTime();
      } else {
        LockSupport.parkNanos(AWAIT_POLL_NANOS);
      }
    }
    return inFlight;
  }

  private static final long AWAIT_POLL_NANOS = 100_000;
}
