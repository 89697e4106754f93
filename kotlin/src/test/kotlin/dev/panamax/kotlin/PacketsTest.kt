package dev.panamax.kotlin

import dev.panamax.api.Mempool
import dev.panamax.api.OwnedPacket
import java.lang.foreign.Arena
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** The header field extensions on OwnedPacket: values, sentinels and errors. */
class PacketsTest {
  private val arena = Arena.ofConfined()
  private val pool: Mempool = arena.mempool(entryCount = 16, name = "fields")

  @AfterEach
  fun close() {
    assertEquals(pool.capacity(), pool.freeCount(), "every test frees its packets")
    arena.close()
  }

  private inline fun <R> packet(length: Int, write: (OwnedPacket) -> Unit, check: (OwnedPacket) -> R): R {
    val p = pool.alloc(length)
    try {
      write(p)
      return check(p)
    } finally {
      p.free()
    }
  }

  @Test
  fun udpFieldsAreReadFromTheirOffsets() {
    packet(60, { it.writeIpv4(Tuple(IP_PROTOCOL_UDP, "10.0.0.1", "192.168.200.7", 42, 1337)) }) { p ->
      assertEquals(ETHERTYPE_IPV4, p.etherType)
      assertTrue(p.isIpv4)
      assertEquals(20, p.ipv4HeaderLength)
      assertEquals(IP_PROTOCOL_UDP, p.ipv4Protocol)
      assertEquals(0x0A000001, p.ipv4Source)
      assertEquals(parseIpv4("192.168.200.7"), p.ipv4Destination)
      assertEquals("192.168.200.7", formatIpv4(p.ipv4Destination))
      assertEquals(42, p.l4SourcePort)
      assertEquals(1337, p.l4DestinationPort)
    }
  }

  @Test
  fun portsFollowIpv4OptionsAndAreUnsigned() {
    packet(80, { it.writeIpv4(Tuple(IP_PROTOCOL_TCP, "1.2.3.4", "5.6.7.8", 65535, 443), headerLength = 24) }) { p ->
      assertEquals(24, p.ipv4HeaderLength)
      assertEquals(IP_PROTOCOL_TCP, p.ipv4Protocol)
      assertEquals(65535, p.l4SourcePort)
      assertEquals(443, p.l4DestinationPort)
    }
  }

  @Test
  fun protocolsWithoutPortsAndLaterFragmentsReportNoPorts() {
    packet(60, { it.writeIpv4(Tuple(IP_PROTOCOL_ICMP, "10.0.0.1", "10.0.0.2", 8, 0)) }) { p ->
      assertEquals(IP_PROTOCOL_ICMP, p.ipv4Protocol)
      assertEquals(NO_FIELD, p.l4SourcePort)
      assertEquals(NO_FIELD, p.l4DestinationPort)
    }
    packet(60, { it.writeIpv4(Tuple(IP_PROTOCOL_UDP, "10.0.0.1", "10.0.0.2", 42, 1337), fragmentOffset = 185) }) { p ->
      assertEquals(IP_PROTOCOL_UDP, p.ipv4Protocol)
      assertEquals(0x0A000002, p.ipv4Destination)
      assertEquals(NO_FIELD, p.l4SourcePort, "a later fragment carries no UDP header")
      assertEquals(NO_FIELD, p.l4DestinationPort)
    }
    packet(60, { it.writeIpv4(Tuple(IP_PROTOCOL_UDP, "10.0.0.1", "10.0.0.2", 42, 1337), moreFragments = true) }) { p ->
      assertEquals(42, p.l4SourcePort, "the first fragment carries the UDP header")
    }
  }

  @Test
  fun aFrameEndingInsideThePortsHasNoPorts() {
    packet(35, { it.writeIpv4(Tuple(IP_PROTOCOL_UDP, "10.0.0.1", "10.0.0.2", 42, 1337)) }) { p ->
      assertTrue(p.isIpv4)
      assertEquals(NO_FIELD, p.l4SourcePort)
      assertEquals(NO_FIELD, p.l4DestinationPort)
    }
    packet(36, { it.writeIpv4(Tuple(IP_PROTOCOL_UDP, "10.0.0.1", "10.0.0.2", 42, 1337)) }) { p ->
      assertEquals(42, p.l4SourcePort)
      assertEquals(NO_FIELD, p.l4DestinationPort)
    }
    packet(38, { it.writeIpv4(Tuple(IP_PROTOCOL_UDP, "10.0.0.1", "10.0.0.2", 42, 1337)) }) { p ->
      assertEquals(42, p.l4SourcePort)
      assertEquals(1337, p.l4DestinationPort, "the last two bytes of the frame")
    }
  }

  @Test
  fun nonIpv4FramesGiveSentinelsAndAddressesThrowNamingThePacket() {
    packet(60, { it.writeArp() }) { p ->
      assertEquals(ETHERTYPE_ARP, p.etherType)
      assertFalse(p.isIpv4)
      assertEquals(NO_FIELD, p.ipv4HeaderLength)
      assertEquals(NO_FIELD, p.ipv4Protocol)
      assertEquals(NO_FIELD, p.l4SourcePort)
      assertEquals(NO_FIELD, p.l4DestinationPort)
      val e = assertThrows<NotIpv4Exception> { p.ipv4Source }
      assertEquals(
        "ipv4Source of a packet that is not IPv4: Packet[pool 'fields' buffer #${p.bufferIndex()}, length=60]" +
          " has EtherType 0x0806; check isIpv4 first",
        e.message,
      )
      assertThrows<NotIpv4Exception> { p.ipv4Destination }
    }
  }

  @Test
  fun truncatedOrMalformedIpv4HeadersAreNotIpv4() {
    packet(10, { it.fill(0, 10, 0) }) { p ->
      assertEquals(NO_FIELD, p.etherType, "shorter than an Ethernet header")
      val e = assertThrows<NotIpv4Exception> { p.ipv4Destination }
      assertTrue(e.message!!.endsWith("has EtherType none (10 bytes); check isIpv4 first"), e.message)
    }
    packet(33, { it.putShort(12, ETHERTYPE_IPV4.toShort()); it.putByte(14, 0x45) }) { p ->
      assertEquals(ETHERTYPE_IPV4, p.etherType)
      assertFalse(p.isIpv4, "33 bytes cannot hold a 20-byte IPv4 header")
    }
    packet(60, { it.writeIpv4(Tuple(IP_PROTOCOL_UDP, "10.0.0.1", "10.0.0.2", 1, 2), headerLength = 60) }) { p ->
      assertFalse(p.isIpv4, "a 60-byte header does not fit in 46 bytes")
    }
    packet(60, { it.writeIpv4(Tuple(IP_PROTOCOL_UDP, "10.0.0.1", "10.0.0.2", 1, 2), headerLength = 16) }) { p ->
      assertFalse(p.isIpv4, "header length below 20")
    }
    packet(60, { it.writeIpv4(Tuple(IP_PROTOCOL_UDP, "10.0.0.1", "10.0.0.2", 1, 2), version = 6) }) { p ->
      assertFalse(p.isIpv4, "version 6 under EtherType 0x0800")
      assertEquals(NO_FIELD, p.ipv4Protocol)
    }
  }

  @Test
  fun indexOperatorsReadAndWriteBytes() {
    packet(60, { it[0] = 0x7F; it[59] = -1 }) { p ->
      assertEquals(0x7F.toByte(), p[0])
      assertEquals((-1).toByte(), p[59])
      assertEquals(255, p.getUnsignedByte(59))
      assertThrows<IndexOutOfBoundsException> { p[60] }
      val bytes = p.toByteArray()
      assertEquals(60, bytes.size)
      assertEquals(0x7F.toByte(), bytes[0])
    }
  }

  @Test
  fun ipv4TextRoundTripsAndBadTextIsRefused() {
    assertEquals("0.0.0.0", formatIpv4(0))
    assertEquals("255.255.255.255", formatIpv4(-1))
    assertEquals(-0x3f57ff00, parseIpv4("192.168.1.0"))
    assertArrayEquals(
      arrayOf("10.0.0.1", "172.16.254.3", "255.0.0.255"),
      arrayOf("10.0.0.1", "172.16.254.3", "255.0.0.255").map { formatIpv4(parseIpv4(it)) }.toTypedArray(),
    )
    assertEquals(
      "invalid IPv4 address '10.0.0.256': '256' is not a number from 0 to 255",
      assertThrows<IllegalArgumentException> { parseIpv4("10.0.0.256") }.message,
    )
    assertEquals(
      "invalid IPv4 address '10.0.1': expected four numbers separated by dots",
      assertThrows<IllegalArgumentException> { parseIpv4("10.0.1") }.message,
    )
    assertThrows<IllegalArgumentException> { parseIpv4("10.0.0.-1") }
  }
}
