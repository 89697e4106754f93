package dev.panamax.impl.mempool;

import dev.panamax.api.Consumes;
import dev.panamax.api.Mempool;
import dev.panamax.api.MempoolExhaustedException;
import dev.panamax.api.Owned;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;
import dev.panamax.api.PanamaxException;
import dev.panamax.impl.dma.DmaException;
import dev.panamax.impl.dma.DmaMemory;
import dev.panamax.impl.dma.DmaSpace;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A mempool: {@code entryCount} buffers of {@code entrySize} bytes in one {@link DmaMemory}
 * block, with an {@code int} free stack and one preallocated {@link PacketBuffer} handle per
 * buffer. Allocation and free are a few array operations; nothing is allocated after
 * construction (except in strict ownership mode, see {@link PacketBuffer}).
 *
 * <p>Single-threaded: all operations on a pool, including the device transitions, run on one
 * thread. Use one pool per queue and thread. Every operation that changes the free stack or the
 * counters first checks that it runs on the pool's {@link UserThread}, and refuses any other
 * thread before anything is changed.
 *
 * <p>Counters: {@code free} is the free-stack depth, {@code inFlight} counts buffers held by
 * devices, and owned is what remains, so {@code capacity == free + owned + inFlight} holds by
 * construction and the transitions keep each counter exact.
 *
 * <p>Lifetime: the memory block is not owned by the application's arena but by an automatic
 * one, so it stays mapped as long as anything references a buffer of the pool: a device ring
 * that holds one, a packet the application still owns, the pool itself. The application's arena
 * only decides whether the pool may be used: once it is closed, nothing leaves the free stack
 * (alloc, allocBatch, a receive ring's refill) and no packet of the pool is given to a device
 * (txBatch), each refused with a {@link PanamaxException} naming the pool. What is already in
 * flight comes back as usual (completion, receive, device close), and packets the application
 * owns stay readable, writable and freeable.
 */
public final class MempoolImpl implements Mempool {
  /** Bytes reserved in front of every packet for drivers (virtio-net header, metadata). */
  public static final int HEADROOM = 64;

  private final String name;
  private final DmaMemory memory;
  private final int entrySize;
  private final PacketBuffer[] buffers;
  private final int[] freeStack;
  /** Strict ownership mode: each buffer's generation, advanced whenever it gets a fresh handle. */
  private final int[] generations;
  /** The scope of the application's arena: the pool is usable while it is alive. */
  private final MemorySegment.Scope usable;
  private int freeTop;
  private int inFlight;
  /** The one thread that may use the pool. */
  private final UserThread user = new UserThread();
  /** "mempool 'name'", for the user-thread message. */
  private final String label;

  /**
   * Creates a pool over memory already allocated that is usable for as long as it exists: a
   * device's own pool, whose memory lives in an automatic arena.
   *
   * @param name name for messages
   * @param memory the memory, at least {@code entrySize * entryCount} bytes
   * @param entrySize bytes per buffer, a power of two from 256 to 65536
   * @param entryCount number of buffers
   */
  public MempoolImpl(String name, DmaMemory memory, int entrySize, int entryCount) {
    this(name, memory, entrySize, entryCount, Arena.global().scope());
  }

  /**
   * Creates a pool over memory already allocated, usable while {@code usable} is alive.
   *
   * @param name name for messages
   * @param memory the memory, at least {@code entrySize * entryCount} bytes; it must not belong
   *     to an arena the application can close (see the class comment)
   * @param entrySize bytes per buffer, a power of two from 256 to 65536
   * @param entryCount number of buffers
   * @param usable the scope of the application's arena: once it is closed, the pool hands out
   *     no buffer and devices take none of its packets
   */
  public MempoolImpl(String name, DmaMemory memory, int entrySize, int entryCount,
      MemorySegment.Scope usable) {
    validate(name, entrySize, entryCount);
    if (memory.size() < (long) entrySize * entryCount) {
      throw new IllegalArgumentException(
          "mempool '" + name + "': memory of " + memory.size() + " bytes is smaller than "
              + entryCount + " entries of " + entrySize + " bytes");
    }
    this.name = name;
    this.label = "mempool '" + name + "'";
    this.memory = memory;
    this.entrySize = entrySize;
    this.buffers = new PacketBuffer[entryCount];
    this.freeStack = new int[entryCount];
    this.generations = new int[PacketBuffer.STRICT ? entryCount : 0];
    this.usable = usable;
    for (int i = 0; i < entryCount; i++) {
      final long offset = (long) i * entrySize;
      buffers[i] = new PacketBuffer(this, i, memory.segment().asSlice(offset, entrySize), offset);
      // Push in reverse so that the first allocation returns buffer 0.
      freeStack[i] = entryCount - 1 - i;
    }
    this.freeTop = entryCount;
  }

  /**
   * Checks a pool's name and geometry against the limits in {@link Mempool}.
   *
   * @param name the pool's name
   * @param entrySize bytes per buffer
   * @param entryCount number of buffers
   * @throws IllegalArgumentException naming the bad value and the allowed range
   */
  public static void validate(String name, int entrySize, int entryCount) {
    Objects.requireNonNull(name, "mempool name must not be null");
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("mempool name of " + name.length()
          + " characters: must have 1 to " + MAX_NAME_LENGTH);
    }
    if (entrySize < MIN_ENTRY_SIZE || entrySize > MAX_ENTRY_SIZE || Integer.bitCount(entrySize) != 1) {
      throw new IllegalArgumentException("mempool '" + name + "': entry size " + entrySize
          + ": must be a power of two between " + MIN_ENTRY_SIZE + " and " + MAX_ENTRY_SIZE);
    }
    if (entryCount < 1 || entryCount > MAX_ENTRY_COUNT) {
      throw new IllegalArgumentException("mempool '" + name + "': entry count " + entryCount
          + ": must be between 1 and " + MAX_ENTRY_COUNT + " (Mempool.MAX_ENTRY_COUNT)");
    }
  }

  /**
   * Returns the memory block, for drivers that program buffer addresses.
   *
   * @return the pool's DMA memory
   */
  public DmaMemory memory() {
    return memory;
  }

  // ---- application side ----

  @Override
  @Owned
  public OwnedPacket alloc(int length) {
    final OwnedPacket packet = tryAlloc(length);
    if (packet == null) {
      throw new MempoolExhaustedException(
          "mempool '" + name + "' is exhausted: " + capacity() + " buffers, "
              + ownedCount() + " owned by the application, " + inFlight + " in flight on devices");
    }
    return packet;
  }

  @Override
  @Owned
  public @Nullable OwnedPacket tryAlloc(int length) {
    checkLength(length);
    checkUsable("alloc");
    checkThread("alloc");
    if (freeTop == 0) {
      return null;
    }
    return allocChecked(length);
  }

  /** Takes a buffer off the free stack for the application; the caller checked everything. */
  @Owned
  private PacketBuffer allocChecked(int length) {
    final PacketBuffer buffer = popFree();
    buffer.setLengthFromDevice(length);
    return issue(buffer);
  }

  /**
   * Guard: throws once the application's arena is closed. One plain read of the arena's state,
   * no allocation.
   *
   * @param operation what was refused, e.g. "alloc" or "txBatch on pair:x:0"
   * @throws PanamaxException naming the pool and the operation
   */
  private void checkUsable(String operation) {
    if (!usable.isAlive()) {
      throw closedError(operation);
    }
  }

  private PanamaxException closedError(String operation) {
    return new PanamaxException("mempool '" + name + "': " + operation + " refused: the arena"
        + " the pool was created in is closed, so the pool hands out no buffer and devices take"
        + " none of its packets (packets still owned can be read and freed)");
  }

  /**
   * Tells whether the pool can still be used: its arena is open.
   *
   * @return {@code false} once the application's arena is closed
   */
  public boolean isUsable() {
    return usable.isAlive();
  }

  /** Guard: a packet length the pool's buffers hold. */
  private void checkLength(int length) {
    if (length < 0 || length > entrySize - HEADROOM) {
      throw new IndexOutOfBoundsException(
          "packet length " + length + " outside [0, " + (entrySize - HEADROOM) + "] for mempool '"
              + name + "'");
    }
  }

  @Override
  public int allocBatch(PacketBatch batch, int count, int length) {
    Objects.requireNonNull(batch, "allocBatch: batch must not be null");
    if (count < 0) {
      throw new IllegalArgumentException(
          "mempool '" + name + "': allocBatch count " + count + ": must be at least 0");
    }
    checkLength(length);
    checkUsable("allocBatch");
    checkThread("allocBatch");
    final int n = Math.min(Math.min(count, batch.remaining()), freeTop);
    for (int i = 0; i < n; i++) {
      batch.add(allocChecked(length));
    }
    return n;
  }

  @Override
  public void free(@Consumes OwnedPacket packet) {
    Objects.requireNonNull(packet, "Mempool.free(null)");
    checkOwnBuffer(packet);
    freeBuffer((PacketBuffer) packet, "Mempool.free()");
  }

  /** Guard: throws unless the packet is one of this pool's buffers (the caller keeps it). */
  private void checkOwnBuffer(OwnedPacket packet) {
    if (!(packet instanceof PacketBuffer buffer) || buffer.pool() != this) {
      throw new IllegalArgumentException(
          "mempool '" + name + "' cannot free " + packet + ": it belongs to another pool");
    }
  }

  void freeBuffer(@Consumes PacketBuffer buffer, String operation) {
    buffer.checkOwned(operation);
    checkThread(operation);
    buffer.consumedBy = operation;
    pushFree(buffer);
  }

  // ---- the free stack: the pool's owning container ----

  /**
   * Pops a free buffer; the caller checked {@code freeTop > 0}. The pool owns every free buffer,
   * but the free stack holds indices, which the ownership checker cannot follow.
   */
  @SuppressWarnings("ownership") // owning container: a free-stack entry becomes a packet
  @Owned
  private PacketBuffer popFree() {
    return buffers[freeStack[--freeTop]];
  }

  /** Pushes a buffer back on the free stack; only its index is kept. */
  @SuppressWarnings("ownership") // owning container: the packet becomes a free-stack entry
  private void pushFree(@Consumes PacketBuffer buffer) {
    buffer.state = PacketBuffer.FREE;
    freeStack[freeTop++] = buffer.bufferIndex();
  }

  /**
   * Hands a buffer to the application: the buffer itself, or in strict ownership mode a fresh
   * handle for it (see {@link PacketBuffer}). Its length is already set.
   */
  @Owned
  private static PacketBuffer issue(@Consumes PacketBuffer buffer) {
    if (PacketBuffer.STRICT) {
      return buffer.reissue();
    }
    buffer.state = PacketBuffer.OWNED;
    return buffer;
  }

  int currentGeneration(int index) {
    return PacketBuffer.STRICT ? generations[index] : 0;
  }

  int nextGeneration(int index) {
    return ++generations[index];
  }

  // ---- device side (drivers and in-memory devices) ----

  /**
   * Guard for a transmit: throws unless {@code packet} is a Panamax buffer the application owns,
   * of a pool whose arena is open and whose user is the calling thread. The pool checks are skipped when its pool is {@code checked}, the pool of a packet
   * that passed them earlier in the same call on the same thread: neither can change within it,
   * so every packet is checked as strictly. Callers check {@code batch.get(0)} so that on error
   * the packet stays in the batch.
   */
  private static void checkSendable(OwnedPacket packet, String consumer,
      @Nullable MempoolImpl checked) {
    if (!(packet instanceof PacketBuffer buffer)) {
      throw new IllegalArgumentException(
          consumer + ": " + packet.getClass().getName() + " is not a Panamax packet buffer");
    }
    buffer.checkOwned(consumer);
    final MempoolImpl pool = buffer.pool();
    if (pool != checked) {
      pool.checkUsable(consumer);
      pool.checkThread(consumer);
    }
  }

  /**
   * Moves an application-owned packet to a device (transmit). The handle is dead for the
   * application afterwards.
   *
   * @param packet the packet taken from a batch
   * @param consumer preallocated text naming the operation and device, e.g. "txBatch on X"
   * @return the buffer, now in flight and owned by the device
   * @throws dev.panamax.api.PacketOwnershipException if the application did not own it
   * @throws IllegalArgumentException if the packet is not a Panamax buffer
   * @throws PanamaxException if the packet's pool was closed with its arena
   */
  @Owned
  public static PacketBuffer handOver(@Consumes OwnedPacket packet, String consumer) {
    checkSendable(packet, consumer, null);
    return markInFlight((PacketBuffer) packet, consumer);
  }

  /** The hand-over itself, for a buffer that {@link #checkSendable} has just accepted. */
  @Owned
  private static PacketBuffer markInFlight(@Consumes PacketBuffer buffer, String consumer) {
    buffer.state = PacketBuffer.IN_FLIGHT;
    buffer.consumedBy = consumer;
    buffer.pool().inFlight++;
    return buffer;
  }

  /**
   * Checks that a device in {@code space} can read a packet, while it is still in the caller's
   * batch: nothing to do when its pool is {@code checked}, the pool of the packet before it in
   * the same call (a pool, once reachable, stays so while it is open); fast when its pool is
   * reachable already; otherwise maps the pool into the IOMMU (once per pool) or refuses memory
   * no device can reach.
   *
   * @param packet the packet about to be sent
   * @param space the device's DMA space
   * @param device names the device in messages
   * @param checked the pool of the previous packet sent in this call, or {@code null}
   * @throws IllegalArgumentException if the device cannot reach the packet, with the reason
   */
  public static void checkReachable(OwnedPacket packet, DmaSpace space, String device,
      @Nullable MempoolImpl checked) {
    if (packet instanceof PacketBuffer buffer && (buffer.pool() == checked
        || buffer.pool().memory().isDeviceReachable(space.iommu()))) {
      return;
    }
    if (!(packet instanceof PacketBuffer buffer) || !buffer.pool().memory().isHugepages()) {
      throw new IllegalArgumentException(device + ": txBatch: " + packet
          + " is not in DMA memory; create its pool with DmaSource.hugepages()");
    }
    try {
      space.makeReachable(buffer.pool().memory()); // once per pool and space
    } catch (DmaException e) {
      throw new IllegalArgumentException(device + ": txBatch: " + packet + ": " + e.getMessage(), e);
    }
  }

  /**
   * Takes the first packet of a batch for a device (transmit): checks it while it is still in
   * the batch, so that on error the caller keeps it, then hands it over. The pool checks are
   * skipped when its pool is {@code checked} (see {@link #checkSendable}); the per-packet checks (a
   * Panamax buffer, owned by the application) always run.
   *
   * @param batch a non-empty batch
   * @param consumer preallocated text naming the operation and device, e.g. "txBatch on X"
   * @param checked the pool of the previous packet taken in this call, or {@code null}
   * @return the buffer, now in flight and owned by the device; its pool is the next
   *     {@code checked}
   * @throws dev.panamax.api.PacketOwnershipException if the application does not own it
   * @throws IllegalArgumentException if the packet is not a Panamax buffer
   * @throws PanamaxException if the packet's pool was closed with its arena
   */
  @Owned
  public static PacketBuffer takeForDevice(PacketBatch batch, String consumer,
      @Nullable MempoolImpl checked) {
    checkSendable(batch.get(0), consumer, checked);
    // take() returns the very packet get(0) showed, which was checked.
    return markInFlight((PacketBuffer) batch.take(), consumer);
  }

  /**
   * Returns a buffer a device has finished with (transmit completion) to the free stack.
   *
   * @param buffer a buffer in flight
   */
  public void completeFromDevice(@Consumes PacketBuffer buffer) {
    checkInFlight(buffer, "completion");
    checkThread("completion");
    inFlight--;
    pushFree(buffer);
  }

  /**
   * Returns a buffer from a device that is being closed: like {@link #completeFromDevice}, but
   * on the closing thread, which need not be the pool's user. Close runs after the queue threads
   * stopped using the device (see NetworkDevice#close), so nothing else touches the pool.
   *
   * @param buffer a buffer in flight
   */
  public void returnOnClose(@Consumes PacketBuffer buffer) {
    checkInFlight(buffer, "return on close");
    inFlight--;
    pushFree(buffer);
  }

  /** Guard: a device may only return buffers of this pool that it holds. */
  private void checkInFlight(PacketBuffer buffer, String operation) {
    if (buffer.state != PacketBuffer.IN_FLIGHT || buffer.pool() != this) {
      throw new IllegalStateException(
          "mempool '" + name + "': " + operation + " of " + buffer.describe() + " that is not in flight");
    }
  }

  /**
   * Takes a free buffer for a device's receive ring.
   *
   * @param consumer preallocated text naming the device, e.g. "rx ring of X"
   * @return the buffer, now in flight and owned by the device, or {@code null} if the pool is
   *     empty
   * @throws PanamaxException if the pool was closed with its arena
   */
  @Owned
  public @Nullable PacketBuffer allocForDevice(String consumer) {
    checkUsable(consumer);
    checkThread(consumer);
    if (freeTop == 0) {
      return null;
    }
    final PacketBuffer buffer = popFree();
    buffer.state = PacketBuffer.IN_FLIGHT;
    buffer.consumedBy = consumer;
    inFlight++;
    return buffer;
  }

  /**
   * Gives a received buffer to the application.
   *
   * @param buffer a buffer in flight, owned by the device
   * @param length the received length
   * @return the buffer's handle, now owned by the application: the same object, or a fresh one in
   *     strict ownership mode
   */
  @Owned
  public static PacketBuffer receive(@Consumes PacketBuffer buffer, int length) {
    final MempoolImpl pool = buffer.pool();
    pool.checkInFlight(buffer, "receive");
    pool.checkThread("receive");
    buffer.setLengthFromDevice(length);
    pool.inFlight--;
    return issue(buffer);
  }

  // ---- the user thread ----

  /**
   * Guard: throws unless the calling thread is the pool's user, claiming the pool first if it
   * has none or its user ended. Nothing is changed when it throws.
   *
   * @param operation what was refused, e.g. "alloc" or "txBatch on pair:x:0"
   * @throws IllegalStateException if another live thread uses the pool
   */
  public void checkThread(String operation) {
    user.check(label, operation);
  }

  @Override
  public void releaseThread() {
    user.release();
  }

  // ---- counters ----

  @Override
  public String name() {
    return name;
  }

  @Override
  public int capacity() {
    return buffers.length;
  }

  @Override
  public int entrySize() {
    return entrySize;
  }

  @Override
  public int packetCapacity() {
    return entrySize - HEADROOM;
  }

  @Override
  public int freeCount() {
    return freeTop;
  }

  @Override
  public int ownedCount() {
    return buffers.length - freeTop - inFlight;
  }

  @Override
  public int inFlightCount() {
    return inFlight;
  }

  @Override
  public String toString() {
    return "Mempool[" + name + ": " + buffers.length + " x " + entrySize + " B in "
        + memory.description() + ", free=" + freeTop + ", owned=" + ownedCount() + ", inFlight="
        + inFlight + (usable.isAlive() ? "]" : ", arena closed]");
  }
}
