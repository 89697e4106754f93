package dev.panamax.kotlin.flows

import dev.panamax.kotlin.IP_PROTOCOL_ICMP
import dev.panamax.kotlin.IP_PROTOCOL_SCTP
import dev.panamax.kotlin.IP_PROTOCOL_TCP
import dev.panamax.kotlin.IP_PROTOCOL_UDP
import dev.panamax.kotlin.IP_PROTOCOL_UDPLITE
import dev.panamax.kotlin.NO_FIELD
import dev.panamax.kotlin.formatIpv4

/**
 * Packet and byte counters per IPv4 5-tuple (protocol, source and destination address, source
 * and destination port), in an open-addressing hash table of primitive arrays with linear
 * probing. Counting a packet of a known flow allocates nothing; a new flow allocates only when
 * the table grows (it doubles when half full). Beyond [maxFlows] flows, packets of new flows are
 * counted as untracked. Single-threaded.
 *
 * @param initialCapacity slots at the start, rounded up to a power of two (at least 16)
 * @property maxFlows the largest number of flows kept
 */
class FlowTable(initialCapacity: Int = 1024, val maxFlows: Int = 1 shl 20) {
  init {
    require(initialCapacity > 0) { "initialCapacity must be positive, got $initialCapacity" }
    require(maxFlows in 1..(1 shl 29)) { "maxFlows must be from 1 to ${1 shl 29}, got $maxFlows" }
  }

  /** Source address in the high 32 bits, destination address in the low 32 bits. */
  private var addresses = LongArray(slotsFor(initialCapacity))

  /** [USED], [NO_PORTS], protocol << 32, source port << 16, destination port; 0 = empty slot. */
  private var meta = LongArray(addresses.size)
  private var packets = LongArray(addresses.size)
  private var bytes = LongArray(addresses.size)
  private var mask = addresses.size - 1

  /** The number of flows in the table. */
  var size: Int = 0
    private set

  /** Packets of flows that did not fit (the table held [maxFlows] flows). */
  var untrackedPackets: Long = 0
    private set

  /** Bytes of flows that did not fit. */
  var untrackedBytes: Long = 0
    private set

  /**
   * Counts one packet of a flow.
   *
   * @param protocol IP protocol number, 0 to 255
   * @param source source address
   * @param destination destination address
   * @param sourcePort 0 to 65535, or [NO_FIELD] for packets without ports
   * @param destinationPort 0 to 65535, or [NO_FIELD] for packets without ports
   * @param length bytes to add
   * @return false if the flow is new and the table is full (the packet counts as untracked)
   */
  fun add(protocol: Int, source: Int, destination: Int, sourcePort: Int, destinationPort: Int, length: Int): Boolean =
    addCounts(addressKey(source, destination), metaKey(protocol, sourcePort, destinationPort), 1, length.toLong())

  /**
   * Adds every flow of [other] (its packets and bytes) and its untracked counts to this table,
   * e.g. the tables of several receive queues into one. Flows that do not fit count as untracked.
   *
   * @param other the table to add; it is not changed
   */
  fun addAll(other: FlowTable) {
    require(other !== this) { "a table cannot be added to itself" }
    for (slot in other.meta.indices) {
      if (other.meta[slot] != 0L) {
        addCounts(other.addresses[slot], other.meta[slot], other.packets[slot], other.bytes[slot])
      }
    }
    untrackedPackets += other.untrackedPackets
    untrackedBytes += other.untrackedBytes
  }

  private fun addCounts(addressKey: Long, metaKey: Long, packetCount: Long, byteCount: Long): Boolean {
    var slot = slotOf(addressKey, metaKey)
    while (true) {
      val m = meta[slot]
      if (m == 0L) {
        break
      }
      if (m == metaKey && addresses[slot] == addressKey) {
        packets[slot] += packetCount
        bytes[slot] += byteCount
        return true
      }
      slot = (slot + 1) and mask
    }
    if (size >= maxFlows) {
      untrackedPackets += packetCount
      untrackedBytes += byteCount
      return false
    }
    if ((size + 1) * 2 > addresses.size) {
      grow()
      slot = slotOf(addressKey, metaKey)
      while (meta[slot] != 0L) {
        slot = (slot + 1) and mask
      }
    }
    addresses[slot] = addressKey
    meta[slot] = metaKey
    packets[slot] = packetCount
    bytes[slot] = byteCount
    size++
    return true
  }

  /**
   * Returns the counters of one flow, or null if the table does not hold it (allocates; for
   * tests and queries, not for the data path).
   */
  fun find(protocol: Int, source: Int, destination: Int, sourcePort: Int, destinationPort: Int): Flow? {
    val addressKey = addressKey(source, destination)
    val metaKey = metaKey(protocol, sourcePort, destinationPort)
    var slot = slotOf(addressKey, metaKey)
    while (meta[slot] != 0L) {
      if (meta[slot] == metaKey && addresses[slot] == addressKey) {
        return flowAt(slot)
      }
      slot = (slot + 1) and mask
    }
    return null
  }

  /**
   * Returns the [n] flows with the most packets, then the most bytes, then the smallest key
   * (protocol, ports, addresses), so the order is deterministic. Allocates the result;
   * O(size × n).
   */
  fun top(n: Int): List<Flow> {
    require(n >= 0) { "n must not be negative, got $n" }
    val best = IntArray(minOf(n, size))
    var count = 0
    for (slot in meta.indices) {
      if (meta[slot] == 0L) {
        continue
      }
      // Insertion into the sorted prefix best[0 until count].
      var i = if (count < best.size) count++ else best.size
      while (i > 0 && ranksBefore(slot, best[i - 1])) {
        if (i < best.size) {
          best[i] = best[i - 1]
        }
        i--
      }
      if (i < best.size) {
        best[i] = slot
      }
    }
    return List(count) { flowAt(best[it]) }
  }

  /** Every flow, in table order (allocates). */
  fun flows(): List<Flow> = meta.indices.filter { meta[it] != 0L }.map { flowAt(it) }

  private fun ranksBefore(a: Int, b: Int): Boolean {
    if (packets[a] != packets[b]) {
      return packets[a] > packets[b]
    }
    if (bytes[a] != bytes[b]) {
      return bytes[a] > bytes[b]
    }
    // Unsigned comparison of the 5-tuple: protocol and ports, then addresses.
    val byMeta = meta[a].toULong().compareTo(meta[b].toULong())
    return if (byMeta != 0) byMeta < 0 else addresses[a].toULong() < addresses[b].toULong()
  }

  private fun flowAt(slot: Int): Flow {
    val m = meta[slot]
    val noPorts = (m and NO_PORTS) != 0L
    return Flow(
      protocol = ((m ushr 32) and 0xFF).toInt(),
      source = (addresses[slot] ushr 32).toInt(),
      destination = addresses[slot].toInt(),
      sourcePort = if (noPorts) NO_FIELD else ((m ushr 16) and 0xFFFF).toInt(),
      destinationPort = if (noPorts) NO_FIELD else (m and 0xFFFF).toInt(),
      packets = packets[slot],
      bytes = bytes[slot],
    )
  }

  private fun grow() {
    val oldAddresses = addresses
    val oldMeta = meta
    val oldPackets = packets
    val oldBytes = bytes
    val slots = oldAddresses.size * 2
    addresses = LongArray(slots)
    meta = LongArray(slots)
    packets = LongArray(slots)
    bytes = LongArray(slots)
    mask = slots - 1
    for (old in oldMeta.indices) {
      if (oldMeta[old] == 0L) {
        continue
      }
      var slot = slotOf(oldAddresses[old], oldMeta[old])
      while (meta[slot] != 0L) {
        slot = (slot + 1) and mask
      }
      addresses[slot] = oldAddresses[old]
      meta[slot] = oldMeta[old]
      packets[slot] = oldPackets[old]
      bytes[slot] = oldBytes[old]
    }
  }

  private fun slotOf(addressKey: Long, metaKey: Long): Int {
    // A multiplicative mix of both words; the high bits are the best mixed.
    var h = addressKey * -0x61c8864680b583ebL + metaKey
    h = (h xor (h ushr 29)) * -0x40a7b892e31b1a47L
    return (h ushr 32).toInt() and mask
  }

  private companion object {
    const val USED = 1L shl 50
    const val NO_PORTS = 1L shl 49

    fun slotsFor(capacity: Int): Int {
      var slots = 16
      while (slots < capacity && slots < (1 shl 30)) {
        slots = slots shl 1
      }
      return slots
    }

    fun addressKey(source: Int, destination: Int): Long =
      (source.toLong() shl 32) or (destination.toLong() and 0xFFFF_FFFFL)

    fun metaKey(protocol: Int, sourcePort: Int, destinationPort: Int): Long {
      require(protocol in 0..255) { "protocol must be from 0 to 255, got $protocol" }
      if (sourcePort == NO_FIELD || destinationPort == NO_FIELD) {
        return USED or NO_PORTS or (protocol.toLong() shl 32)
      }
      require(sourcePort in 0..0xFFFF && destinationPort in 0..0xFFFF) {
        "ports must be from 0 to 65535 or NO_FIELD, got $sourcePort and $destinationPort"
      }
      return USED or (protocol.toLong() shl 32) or (sourcePort.toLong() shl 16) or destinationPort.toLong()
    }
  }
}

/**
 * One flow's key and counters, as reported by [FlowTable.top] and [FlowTable.find].
 *
 * @property protocol IP protocol number
 * @property source source address (see [formatIpv4])
 * @property destination destination address
 * @property sourcePort source port, or [NO_FIELD] for protocols without ports and fragments
 * @property destinationPort destination port, or [NO_FIELD]
 * @property packets packets counted
 * @property bytes bytes counted (frame lengths without FCS)
 */
data class Flow(
  val protocol: Int,
  val source: Int,
  val destination: Int,
  val sourcePort: Int,
  val destinationPort: Int,
  val packets: Long,
  val bytes: Long,
) {
  /** The 5-tuple as text, e.g. `udp 10.0.0.1:42 -> 10.0.0.2:1337` or `icmp 10.0.0.1 -> 10.0.0.2`. */
  fun describe(): String {
    val name = protocolName(protocol)
    return if (sourcePort == NO_FIELD) {
      "$name ${formatIpv4(source)} -> ${formatIpv4(destination)}"
    } else {
      "$name ${formatIpv4(source)}:$sourcePort -> ${formatIpv4(destination)}:$destinationPort"
    }
  }

  private companion object {
    fun protocolName(protocol: Int): String = when (protocol) {
      IP_PROTOCOL_ICMP -> "icmp"
      IP_PROTOCOL_TCP -> "tcp"
      IP_PROTOCOL_UDP -> "udp"
      IP_PROTOCOL_SCTP -> "sctp"
      IP_PROTOCOL_UDPLITE -> "udplite"
      else -> "proto$protocol"
    }
  }
}
