/*
 * Header fields of untagged Ethernet II / IPv4 frames, read from an OwnedPacket.
 *
 * Every accessor is bounds-safe: it checks the packet's length and headers before reading, and
 * never reads outside the packet. Fields that have an invalid value (EtherType, protocol, ports)
 * return NO_FIELD (-1) when the packet does not carry them; IPv4 addresses, where every Int is a
 * valid address, throw NotIpv4Exception instead. Each accessor is a few bounds-checked reads
 * and allocates nothing.
 */
@file:JvmName("Packets")

package dev.panamax.kotlin

import dev.panamax.api.OwnedPacket

/** What a field accessor returns when the packet does not carry that field. */
const val NO_FIELD: Int = -1

/** EtherType of IPv4. */
const val ETHERTYPE_IPV4: Int = 0x0800

/** EtherType of ARP. */
const val ETHERTYPE_ARP: Int = 0x0806

/** IP protocol number of ICMP. */
const val IP_PROTOCOL_ICMP: Int = 1

/** IP protocol number of TCP. */
const val IP_PROTOCOL_TCP: Int = 6

/** IP protocol number of UDP. */
const val IP_PROTOCOL_UDP: Int = 17

/** IP protocol number of SCTP. */
const val IP_PROTOCOL_SCTP: Int = 132

/** IP protocol number of UDP-Lite. */
const val IP_PROTOCOL_UDPLITE: Int = 136

/** Length of an untagged Ethernet II header. */
const val ETHERNET_HEADER_LENGTH: Int = 14

private const val IPV4_MIN_HEADER_LENGTH = 20
private const val IPV4_PROTOCOL_OFFSET = ETHERNET_HEADER_LENGTH + 9
private const val IPV4_FRAGMENT_OFFSET = ETHERNET_HEADER_LENGTH + 6
private const val IPV4_SOURCE_OFFSET = ETHERNET_HEADER_LENGTH + 12
private const val IPV4_DESTINATION_OFFSET = ETHERNET_HEADER_LENGTH + 16

/**
 * Thrown by [ipv4Source] and [ipv4Destination] for a packet that is not an IPv4 frame (see
 * [isIpv4]); the message names the packet and what it is instead.
 *
 * @param message the packet and the reason
 */
class NotIpv4Exception(message: String) : IllegalStateException(message)

/** Reads the byte at [offset], like [OwnedPacket.getByte]: `packet[0]`. */
operator fun OwnedPacket.get(offset: Int): Byte = getByte(offset)

/** Writes the byte at [offset], like [OwnedPacket.putByte]: `packet[0] = 1`. */
operator fun OwnedPacket.set(offset: Int, value: Byte) = putByte(offset, value)

/**
 * The EtherType at offset 12 (0 to 65535), or [NO_FIELD] if the packet is shorter than an
 * Ethernet header. VLAN tags are not skipped: a tagged frame reports 0x8100.
 */
val OwnedPacket.etherType: Int
  get() = if (length() < ETHERNET_HEADER_LENGTH) NO_FIELD else getUnsignedShort(12)

/**
 * The IPv4 header length in bytes (20 to 60), or [NO_FIELD] unless the packet is an IPv4 frame:
 * EtherType 0x0800, version 4, a header length of at least 20 bytes, and the whole header
 * within the packet.
 */
val OwnedPacket.ipv4HeaderLength: Int
  get() {
    val length = length()
    if (length < ETHERNET_HEADER_LENGTH + IPV4_MIN_HEADER_LENGTH || getUnsignedShort(12) != ETHERTYPE_IPV4) {
      return NO_FIELD
    }
    val versionAndLength = getUnsignedByte(ETHERNET_HEADER_LENGTH)
    val headerLength = (versionAndLength and 0x0F) * 4
    if (versionAndLength ushr 4 != 4 || headerLength < IPV4_MIN_HEADER_LENGTH ||
      length < ETHERNET_HEADER_LENGTH + headerLength
    ) {
      return NO_FIELD
    }
    return headerLength
  }

/** Whether the packet is an IPv4 frame with a complete header (see [ipv4HeaderLength]). */
val OwnedPacket.isIpv4: Boolean
  get() = ipv4HeaderLength != NO_FIELD

/** The IPv4 protocol number (0 to 255), or [NO_FIELD] if the packet is not IPv4. */
val OwnedPacket.ipv4Protocol: Int
  get() = if (isIpv4) getUnsignedByte(IPV4_PROTOCOL_OFFSET) else NO_FIELD

/**
 * The IPv4 source address as an Int (`10.0.0.1` is `0x0A000001`; see [formatIpv4]).
 *
 * @throws NotIpv4Exception if the packet is not IPv4
 */
val OwnedPacket.ipv4Source: Int
  get() {
    requireIpv4("ipv4Source")
    return getInt(IPV4_SOURCE_OFFSET)
  }

/**
 * The IPv4 destination address as an Int (see [formatIpv4]).
 *
 * @throws NotIpv4Exception if the packet is not IPv4
 */
val OwnedPacket.ipv4Destination: Int
  get() {
    requireIpv4("ipv4Destination")
    return getInt(IPV4_DESTINATION_OFFSET)
  }

/**
 * The TCP, UDP, SCTP or UDP-Lite source port (0 to 65535), or [NO_FIELD] if the packet is not
 * IPv4, carries another protocol, is a fragment other than the first, or ends before the port.
 */
val OwnedPacket.l4SourcePort: Int
  get() = l4Port(0)

/** The destination port, under the same conditions as [l4SourcePort]. */
val OwnedPacket.l4DestinationPort: Int
  get() = l4Port(2)

private fun OwnedPacket.l4Port(offsetInHeader: Int): Int {
  val headerLength = ipv4HeaderLength
  if (headerLength == NO_FIELD || !carriesPorts(getUnsignedByte(IPV4_PROTOCOL_OFFSET)) ||
    (getUnsignedShort(IPV4_FRAGMENT_OFFSET) and 0x1FFF) != 0
  ) {
    return NO_FIELD
  }
  val offset = ETHERNET_HEADER_LENGTH + headerLength + offsetInHeader
  return if (offset + 2 > length()) NO_FIELD else getUnsignedShort(offset)
}

private fun carriesPorts(protocol: Int): Boolean =
  protocol == IP_PROTOCOL_TCP || protocol == IP_PROTOCOL_UDP || protocol == IP_PROTOCOL_SCTP ||
    protocol == IP_PROTOCOL_UDPLITE

private fun OwnedPacket.requireIpv4(field: String) {
  if (!isIpv4) {
    throw NotIpv4Exception(
      "$field of a packet that is not IPv4: $this has EtherType " +
        (if (etherType == NO_FIELD) "none (${length()} bytes)" else "0x" + etherType.toString(16).padStart(4, '0')) +
        "; check isIpv4 first",
    )
  }
}

/** Copies the packet's bytes into a new array (allocates: for tests and diagnostics). */
fun OwnedPacket.toByteArray(): ByteArray {
  val bytes = ByteArray(length())
  copyTo(0, bytes, 0, bytes.size)
  return bytes
}

/** Formats an IPv4 address held in an Int as dotted decimal, e.g. `10.0.0.1`. */
fun formatIpv4(address: Int): String =
  "${address ushr 24}.${(address ushr 16) and 0xFF}.${(address ushr 8) and 0xFF}.${address and 0xFF}"

/**
 * Parses dotted decimal (`10.0.0.1`) into an Int.
 *
 * @throws IllegalArgumentException naming the text if it is not four numbers from 0 to 255
 */
fun parseIpv4(text: String): Int {
  val parts = text.split('.')
  require(parts.size == 4) { "invalid IPv4 address '$text': expected four numbers separated by dots" }
  var address = 0
  for (part in parts) {
    val octet = part.toIntOrNull()
    require(octet != null && octet in 0..255 && part.length <= 3) {
      "invalid IPv4 address '$text': '$part' is not a number from 0 to 255"
    }
    address = (address shl 8) or octet
  }
  return address
}
