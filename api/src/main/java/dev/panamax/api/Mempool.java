package dev.panamax.api;

import java.lang.foreign.Arena;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A fixed number of fixed-size packet buffers in one block of DMA memory, with a free stack.
 *
 * <p>Every buffer is, at any time, in exactly one of three places, and the counters always add
 * up: {@code capacity() == freeCount() + ownedCount() + inFlightCount()}.
 *
 * <ul>
 *   <li>free: on the pool's free stack;
 *   <li>owned: held by the application as an {@link OwnedPacket} (directly or in a batch);
 *   <li>in flight: given to a device (queued for transmit, or posted for receive).
 * </ul>
 *
 * <p>A mempool is single-threaded: allocate, free, send and receive its packets from one thread
 * (one pool per queue and thread, as in ixy). The first thread that allocates, frees, sends or
 * receives one of its packets becomes its user; while that thread is alive, any other thread
 * that tries is refused with an {@link IllegalStateException} naming both threads, and the pool
 * stays consistent. The user changes only when {@link #releaseThread()} is called or the user
 * thread has ended. Closing a device returns its buffers from the closing thread.
 *
 * <p>Lifetime: the pool can be used while the {@link Arena} it was created in is open. Its
 * memory is not allocated in that arena: it stays mapped while anything can reach it (a device
 * holding one of its buffers, a packet the application owns, the pool itself) and goes back to
 * the system after that, so devices and the arena may be closed in either order. Once the arena
 * is closed the pool is retired:
 *
 * <ul>
 *   <li>{@link #alloc}, {@link #tryAlloc} and {@link #allocBatch} throw a {@link
 *       PanamaxException} naming the pool, and a device's {@code txBatch} refuses its packets the
 *       same way, so no buffer of the pool enters a device again;
 *   <li>packets a device holds come back as usual: received with their bytes intact, completed,
 *       or returned when the device is closed;
 *   <li>packets the application owns stay valid: they can be read, written and freed.
 * </ul>
 *
 * <p>Exception safety: every method checks its arguments and the pool's state before it changes
 * anything, so when one throws, the pool's counters and the caller's batch are unchanged (strong
 * guarantee).
 */
public interface Mempool {
  /** The smallest entry size in bytes. */
  int MIN_ENTRY_SIZE = 256;

  /** The largest entry size in bytes. */
  int MAX_ENTRY_SIZE = 65536;

  /**
   * The largest number of buffers in one pool: 2^20. The pool keeps a handle object of about
   * 150 bytes on the Java heap per buffer, and its memory block is {@code entrySize} times this.
   */
  int MAX_ENTRY_COUNT = 1 << 20;

  /** The longest pool name, in characters (names appear in every diagnostic). */
  int MAX_NAME_LENGTH = 100;

  /**
   * Creates a mempool.
   *
   * @param arena the arena that governs the pool: closing it retires the pool (see the class
   *     comment); it must be open
   * @param source where the memory comes from
   * @param entrySize bytes per buffer, including 64 bytes of driver headroom; a power of two
   *     from {@value #MIN_ENTRY_SIZE} to {@value #MAX_ENTRY_SIZE} (2048 is usual)
   * @param entryCount number of buffers, from 1 to {@link #MAX_ENTRY_COUNT}
   * @return the new pool, all buffers free
   * @throws IllegalArgumentException if a size is out of range, naming the value and the range
   * @throws PanamaxException if the memory cannot be obtained, with the reason
   */
  static Mempool create(Arena arena, DmaSource source, int entrySize, int entryCount) {
    return create(arena, source, entrySize, entryCount, "pool");
  }

  /**
   * Creates a named mempool; the name appears in every diagnostic about its packets.
   *
   * @param arena the arena that governs the pool: closing it retires the pool (see the class
   *     comment); it must be open
   * @param source where the memory comes from
   * @param entrySize bytes per buffer, see {@link #create(Arena, DmaSource, int, int)}
   * @param entryCount number of buffers, from 1 to {@link #MAX_ENTRY_COUNT}
   * @param name a short name for messages, 1 to {@value #MAX_NAME_LENGTH} characters
   * @return the new pool, all buffers free
   * @throws NullPointerException if arena, source or name is null
   * @throws IllegalArgumentException if a size or the name's length is out of range, naming the
   *     value and the range
   * @throws IllegalStateException if the arena is already closed
   * @throws PanamaxException if the memory cannot be obtained, with the reason
   */
  static Mempool create(
      Arena arena, DmaSource source, int entrySize, int entryCount, String name) {
    Objects.requireNonNull(arena, "Mempool.create: arena must not be null");
    Objects.requireNonNull(source, "Mempool.create: DMA source must not be null");
    Objects.requireNonNull(name, "Mempool.create: name must not be null");
    return Panamax.provider().createMempool(arena, source, entrySize, entryCount, name);
  }

  /**
   * Takes a buffer from the free stack.
   *
   * @param length the packet length to set, from 0 to {@link #packetCapacity()}
   * @return the packet, owned by the caller
   * @throws MempoolExhaustedException if no buffer is free (the pool is unchanged)
   * @throws IndexOutOfBoundsException if length is out of range (the pool is unchanged)
   * @throws PanamaxException if the pool's arena is closed (the pool is unchanged)
   */
  @Owned
  OwnedPacket alloc(int length);

  /**
   * Takes a buffer from the free stack if there is one.
   *
   * @param length the packet length to set, from 0 to {@link #packetCapacity()}
   * @return the packet, owned by the caller, or {@code null} if the pool is empty
   * @throws IndexOutOfBoundsException if length is out of range (the pool is unchanged)
   * @throws PanamaxException if the pool's arena is closed (the pool is unchanged)
   */
  @Owned
  @Nullable OwnedPacket tryAlloc(int length);

  /**
   * Allocates up to {@code count} packets of the same length into a batch. Arguments are
   * checked first: when it throws, the pool and the batch are unchanged.
   *
   * @param batch the batch to append to
   * @param count how many packets are wanted, at least 0
   * @param length the length of each packet, from 0 to {@link #packetCapacity()}
   * @return how many were allocated: fewer than {@code count} if the pool or the batch ran out
   * @throws IllegalArgumentException if count is negative
   * @throws IndexOutOfBoundsException if length is out of range
   * @throws PanamaxException if the pool's arena is closed
   */
  int allocBatch(PacketBatch batch, int count, int length);

  /**
   * Gives a packet back. Same as {@link OwnedPacket#free()}; also after the pool's arena was
   * closed.
   *
   * @param packet a packet of this pool, owned by the caller
   * @throws PacketOwnershipException if the packet was already freed or sent (the pool is
   *     unchanged)
   * @throws IllegalArgumentException if the packet belongs to another pool (the pool is
   *     unchanged; the caller still owns it)
   */
  void free(@Consumes OwnedPacket packet);

  /**
   * Returns the pool's name.
   *
   * @return the name given at creation
   */
  String name();

  /**
   * Returns the number of buffers.
   *
   * @return the entry count given at creation
   */
  int capacity();

  /**
   * Returns the bytes per buffer, including headroom.
   *
   * @return the entry size given at creation
   */
  int entrySize();

  /**
   * Returns the largest packet length a buffer holds.
   *
   * @return entry size minus headroom
   */
  int packetCapacity();

  /**
   * Returns the number of free buffers.
   *
   * @return buffers on the free stack
   */
  int freeCount();

  /**
   * Returns the number of buffers the application owns.
   *
   * @return buffers held as {@link OwnedPacket}s
   */
  int ownedCount();

  /**
   * Returns the number of buffers a device holds.
   *
   * @return buffers queued for transmit or posted for receive
   */
  int inFlightCount();

  /**
   * Lets another thread become the pool's user: the next thread that allocates, frees, sends or
   * receives one of its packets takes it over. Call it once the current user is done with the
   * pool, e.g. after the main thread prepared packets and before a worker thread takes over. A
   * pool whose user thread has ended needs no call.
   */
  void releaseThread();
}
