package dev.panamax.kotlin

import dev.panamax.api.Mempool
import dev.panamax.api.NetworkDevice
import dev.panamax.api.OwnedPacket
import dev.panamax.api.PacketBatch

/** A 5-tuple for test traffic; ports are ignored for protocols without ports. */
data class Tuple(val protocol: Int, val source: String, val destination: String, val sourcePort: Int, val destinationPort: Int)

/**
 * Writes an Ethernet II + IPv4 frame of the packet's current length: MACs, EtherType, an IPv4
 * header of [headerLength] bytes (options zero), and for TCP/UDP/SCTP/UDP-Lite the two ports.
 */
fun OwnedPacket.writeIpv4(
  tuple: Tuple,
  headerLength: Int = 20,
  fragmentOffset: Int = 0,
  moreFragments: Boolean = false,
  version: Int = 4,
) {
  val length = length()
  fill(0, length, 0)
  for (i in 0 until 6) {
    putByte(i, 0x52)
    putByte(6 + i, 0x54)
  }
  putShort(12, ETHERTYPE_IPV4.toShort())
  putByte(14, ((version shl 4) or (headerLength / 4)).toByte())
  putShort(16, (length - ETHERNET_HEADER_LENGTH).toShort())
  putShort(20, ((if (moreFragments) 0x2000 else 0) or fragmentOffset).toShort())
  putByte(22, 64)
  putByte(23, tuple.protocol.toByte())
  putInt(26, parseIpv4(tuple.source))
  putInt(30, parseIpv4(tuple.destination))
  val l4 = ETHERNET_HEADER_LENGTH + headerLength
  if (l4 + 2 <= length) {
    putShort(l4, tuple.sourcePort.toShort())
  }
  if (l4 + 4 <= length) {
    putShort(l4 + 2, tuple.destinationPort.toShort())
  }
}

/** Writes an ARP-like frame: EtherType 0x0806, the rest zero. */
fun OwnedPacket.writeArp() {
  fill(0, length(), 0)
  putShort(12, ETHERTYPE_ARP.toShort())
}

/**
 * Sends [count] frames written by [write], each [length] bytes long, through [device],
 * allocating from [pool]; fails if the device does not take them all.
 */
inline fun sendFrames(device: NetworkDevice, pool: Mempool, count: Int, length: Int, write: (OwnedPacket) -> Unit) {
  val batch = PacketBatch(32)
  var left = count
  while (left > 0) {
    val n = pool.allocBatch(batch, minOf(left, batch.remaining()), length)
    check(n > 0) { "pool ${pool.name()} is exhausted" }
    batch.forEachPacket(write)
    val sent = device.transmit(batch)
    check(sent == n) { "${device.address()} took $sent of $n packets" }
    left -= n
  }
}
