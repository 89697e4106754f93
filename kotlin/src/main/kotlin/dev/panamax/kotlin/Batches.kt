/*
 * Kotlin idioms for batches, devices, mempools and stats. The loops are inline functions: the
 * lambda's body is copied into the caller, so iterating a batch allocates nothing, not even a
 * visitor object (PacketBatch.forEach with a capturing Kotlin lambda allocates one per call).
 */
@file:JvmName("Batches")

package dev.panamax.kotlin

import dev.panamax.api.DeviceStats
import dev.panamax.api.DmaSource
import dev.panamax.api.Mempool
import dev.panamax.api.NetworkDevice
import dev.panamax.api.OwnedPacket
import dev.panamax.api.PacketBatch
import java.lang.foreign.Arena

/**
 * Lends every packet of the batch, front to back, to [action]. The batch keeps ownership: the
 * action may read and write the packet but must not free, send or keep it (nothing checks this
 * at compile time in Kotlin; a later use of a freed packet throws
 * [dev.panamax.api.PacketOwnershipException]).
 */
inline fun PacketBatch.forEachPacket(action: (packet: OwnedPacket) -> Unit) {
  for (i in 0 until size()) {
    action(get(i))
  }
}

/** Like [forEachPacket], with the packet's position in the batch (0 is the front). */
inline fun PacketBatch.forEachPacketIndexed(action: (index: Int, packet: OwnedPacket) -> Unit) {
  for (i in 0 until size()) {
    action(i, get(i))
  }
}

/** Counts the packets of the batch for which [predicate] is true (packets are lent). */
inline fun PacketBatch.countPackets(predicate: (packet: OwnedPacket) -> Boolean): Int {
  var count = 0
  for (i in 0 until size()) {
    if (predicate(get(i))) {
      count++
    }
  }
  return count
}

/** The sum of the lengths of the packets in the batch, in bytes. */
fun PacketBatch.totalBytes(): Long {
  var bytes = 0L
  for (i in 0 until size()) {
    bytes += get(i).length()
  }
  return bytes
}

/**
 * Receives into [batch] (see [NetworkDevice.rxBatch]), by default on queue 0 and as many packets
 * as the batch has room for.
 *
 * @return the number of packets appended
 */
fun NetworkDevice.receive(batch: PacketBatch, queue: Int = 0, max: Int = batch.remaining()): Int =
  rxBatch(queue, batch, max)

/**
 * Transmits from the front of [batch] (see [NetworkDevice.txBatch]), by default on queue 0. What
 * the device did not accept stays in the batch, owned by the caller.
 *
 * @return the number of packets accepted
 */
fun NetworkDevice.transmit(batch: PacketBatch, queue: Int = 0): Int = txBatch(queue, batch)

/**
 * The receive loop of a sink: receives into [batch], lends every packet in it to [action], then
 * frees them all. Allocation-free.
 *
 * The batch is empty afterwards, also when [action] throws: the packets are freed, then the
 * action's exception propagates (with a failure of the freeing attached as suppressed).
 *
 * @return the number of packets received
 */
inline fun NetworkDevice.receiveAndFree(
  batch: PacketBatch,
  queue: Int = 0,
  action: (packet: OwnedPacket) -> Unit,
): Int {
  val received = rxBatch(queue, batch, batch.remaining())
  try {
    batch.forEachPacket(action)
  } catch (failure: Throwable) {
    freeAfter(batch, failure)
    throw failure
  }
  batch.freeAll()
  return received
}

/** Empties [batch] after [failure]; a second failure is attached to the first, not lost. */
@PublishedApi
internal fun freeAfter(batch: PacketBatch, failure: Throwable) {
  try {
    batch.freeAll()
  } catch (second: RuntimeException) {
    failure.addSuppressed(second)
  }
}

/** The difference of two snapshots, as [DeviceStats.delta]: `now - before`. */
operator fun DeviceStats.minus(earlier: DeviceStats): DeviceStats = delta(earlier)

/**
 * Creates a mempool in this arena, with named, defaulted parameters; the pool's memory is
 * released when the arena closes (`Arena.ofConfined().use { arena -> arena.mempool(256) }`).
 *
 * @param entryCount number of buffers
 * @param entrySize bytes per buffer including the 64 bytes of headroom, a power of two
 * @param source where the memory comes from; virtual memory serves the in-memory devices
 * @param name the name used in every diagnostic about the pool's packets
 */
fun Arena.mempool(
  entryCount: Int,
  entrySize: Int = 2048,
  source: DmaSource = DmaSource.virtualMemory(),
  name: String = "pool",
): Mempool = Mempool.create(this, source, entrySize, entryCount, name)

/**
 * The DMA source an application would pick for a device spec: virtual memory for the in-memory
 * devices (`pair:`, `null:`), hugepages for PCI devices.
 */
fun dmaSourceFor(spec: String): DmaSource =
  if (spec.startsWith("pair:") || spec.startsWith("null:")) DmaSource.virtualMemory() else DmaSource.hugepages()
