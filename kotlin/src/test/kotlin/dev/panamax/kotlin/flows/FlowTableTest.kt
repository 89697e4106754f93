package dev.panamax.kotlin.flows

import dev.panamax.kotlin.IP_PROTOCOL_ICMP
import dev.panamax.kotlin.IP_PROTOCOL_TCP
import dev.panamax.kotlin.IP_PROTOCOL_UDP
import dev.panamax.kotlin.NO_FIELD
import dev.panamax.kotlin.parseIpv4
import java.lang.management.ManagementFactory
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** The open-addressing flow table: exact counts, key separation, growth, limits, top-N order. */
class FlowTableTest {
  private val a = parseIpv4("10.0.0.1")
  private val b = parseIpv4("10.0.0.2")

  @Test
  fun countsPacketsAndBytesPerFiveTuple() {
    val t = FlowTable()
    repeat(3) { t.add(IP_PROTOCOL_UDP, a, b, 42, 1337, 60) }
    t.add(IP_PROTOCOL_UDP, a, b, 42, 1337, 1000)
    // Each differs from the first flow in one field only.
    t.add(IP_PROTOCOL_TCP, a, b, 42, 1337, 70)
    t.add(IP_PROTOCOL_UDP, b, a, 42, 1337, 71)
    t.add(IP_PROTOCOL_UDP, a, a, 42, 1337, 72)
    t.add(IP_PROTOCOL_UDP, a, b, 1337, 42, 73)
    t.add(IP_PROTOCOL_UDP, a, b, 42, 1338, 74)
    t.add(IP_PROTOCOL_ICMP, a, b, NO_FIELD, NO_FIELD, 75)
    t.add(IP_PROTOCOL_ICMP, a, b, 0, 0, 76) // port 0 is not "no ports"
    assertEquals(8, t.size)
    assertEquals(Flow(IP_PROTOCOL_UDP, a, b, 42, 1337, 4, 1180), t.find(IP_PROTOCOL_UDP, a, b, 42, 1337))
    assertEquals(70L, t.find(IP_PROTOCOL_TCP, a, b, 42, 1337)!!.bytes)
    assertEquals(71L, t.find(IP_PROTOCOL_UDP, b, a, 42, 1337)!!.bytes)
    assertEquals(72L, t.find(IP_PROTOCOL_UDP, a, a, 42, 1337)!!.bytes)
    assertEquals(73L, t.find(IP_PROTOCOL_UDP, a, b, 1337, 42)!!.bytes)
    assertEquals(74L, t.find(IP_PROTOCOL_UDP, a, b, 42, 1338)!!.bytes)
    assertEquals(75L, t.find(IP_PROTOCOL_ICMP, a, b, NO_FIELD, NO_FIELD)!!.bytes)
    assertEquals(76L, t.find(IP_PROTOCOL_ICMP, a, b, 0, 0)!!.bytes)
    assertNull(t.find(IP_PROTOCOL_UDP, a, b, 42, 1339))
    assertEquals(8, t.flows().size)
    assertEquals(11L, t.flows().sumOf { it.packets })
  }

  @Test
  fun growsPastItsInitialCapacityWithoutLosingCounts() {
    val t = FlowTable(initialCapacity = 16)
    val flows = 5000
    for (round in 1..3) {
      for (i in 0 until flows) {
        t.add(IP_PROTOCOL_UDP, a + i, b, i and 0xFFFF, 53, round)
      }
    }
    assertEquals(flows, t.size)
    for (i in 0 until flows) {
      val f = t.find(IP_PROTOCOL_UDP, a + i, b, i and 0xFFFF, 53)
      assertEquals(3L, f?.packets, "flow $i")
      assertEquals(6L, f?.bytes, "flow $i")
    }
    assertEquals(0L, t.untrackedPackets)
  }

  @Test
  fun flowsBeyondTheLimitCountAsUntracked() {
    val t = FlowTable(initialCapacity = 4, maxFlows = 3)
    for (port in 1..3) {
      assertTrue(t.add(IP_PROTOCOL_UDP, a, b, port, 9, 100))
    }
    assertFalse(t.add(IP_PROTOCOL_UDP, a, b, 4, 9, 100))
    assertFalse(t.add(IP_PROTOCOL_UDP, a, b, 5, 9, 50))
    assertTrue(t.add(IP_PROTOCOL_UDP, a, b, 2, 9, 100), "known flows still count")
    assertEquals(3, t.size)
    assertEquals(2L, t.untrackedPackets)
    assertEquals(150L, t.untrackedBytes)
    assertEquals(2L, t.find(IP_PROTOCOL_UDP, a, b, 2, 9)!!.packets)
    assertNull(t.find(IP_PROTOCOL_UDP, a, b, 4, 9))
  }

  @Test
  fun topOrdersByPacketsThenBytesThenKeyAndStopsAtN() {
    val t = FlowTable()
    fun send(port: Int, packets: Int, length: Int) = repeat(packets) { t.add(IP_PROTOCOL_UDP, a, b, port, 80, length) }
    send(1, 5, 60)
    send(2, 9, 60)
    send(3, 5, 100) // same packets as port 1, more bytes
    send(4, 1, 60)
    send(5, 5, 100) // ties with port 3 on both counts: the smaller key first
    val top = t.top(4)
    assertEquals(listOf(2, 3, 5, 1), top.map { it.sourcePort })
    assertEquals(listOf(9L, 5L, 5L, 5L), top.map { it.packets })
    assertEquals(listOf(540L, 500L, 500L, 300L), top.map { it.bytes })
    assertEquals(listOf(2, 3, 5, 1, 4), t.top(10).map { it.sourcePort }, "n larger than the table")
    assertEquals(emptyList<Flow>(), t.top(0))
    assertEquals(emptyList<Flow>(), FlowTable().top(5))
    assertThrows<IllegalArgumentException> { t.top(-1) }
  }

  @Test
  fun badKeysAreRefusedWithTheValue() {
    val t = FlowTable()
    assertEquals(
      "protocol must be from 0 to 255, got 256",
      assertThrows<IllegalArgumentException> { t.add(256, a, b, 1, 2, 60) }.message,
    )
    assertEquals(
      "ports must be from 0 to 65535 or NO_FIELD, got 70000 and 2",
      assertThrows<IllegalArgumentException> { t.add(IP_PROTOCOL_UDP, a, b, 70000, 2, 60) }.message,
    )
    assertThrows<IllegalArgumentException> { FlowTable(maxFlows = 0) }
    assertThrows<IllegalArgumentException> { FlowTable(initialCapacity = 0) }
  }

  @Test
  fun describeNamesProtocolAddressesAndPorts() {
    assertEquals("udp 10.0.0.1:42 -> 10.0.0.2:1337", Flow(IP_PROTOCOL_UDP, a, b, 42, 1337, 1, 60).describe())
    assertEquals("icmp 10.0.0.1 -> 10.0.0.2", Flow(IP_PROTOCOL_ICMP, a, b, NO_FIELD, NO_FIELD, 1, 60).describe())
    assertEquals("proto47 10.0.0.2 -> 10.0.0.1", Flow(47, b, a, NO_FIELD, NO_FIELD, 1, 60).describe())
  }

  @Test
  fun countingKnownFlowsAllocatesNothingPerPacket() {
    val threads = ManagementFactory.getThreadMXBean() as com.sun.management.ThreadMXBean
    val t = FlowTable(initialCapacity = 16)
    for (i in 0 until 100) {
      t.add(IP_PROTOCOL_TCP, a + i, b, 1000 + i, 80, 60) // new flows: the table grows here
    }
    // One warm-up pass over the known flows first: the first calls of a code path may allocate
    // once in the JVM, which is not per packet.
    for (round in 0 until 100) {
      for (i in 0 until 100) {
        t.add(IP_PROTOCOL_TCP, a + i, b, 1000 + i, 80, 60)
      }
    }
    threads.currentThreadAllocatedBytes
    val before = threads.currentThreadAllocatedBytes
    for (round in 0 until 1000) {
      for (i in 0 until 100) {
        t.add(IP_PROTOCOL_TCP, a + i, b, 1000 + i, 80, 60)
      }
    }
    val allocated = threads.currentThreadAllocatedBytes - before
    // Any object per packet would be at least 16 bytes x 100 000 = 1.6 MB. The JVM itself
    // sometimes allocates a few hundred bytes once on this thread while the loop is being
    // compiled (152 and 416 bytes seen in full builds, 0 in most runs): a bound of 1 000 bytes,
    // 0.01 byte per packet, tells the two apart.
    assertTrue(allocated < 1_000, "$allocated bytes allocated while counting 100000 packets of known flows")
    assertEquals(1101L, t.find(IP_PROTOCOL_TCP, a + 99, b, 1099, 80)!!.packets)
  }

  @Test
  fun addAllMergesTheTablesOfSeveralQueues() {
    val q0 = FlowTable()
    val q1 = FlowTable(initialCapacity = 16)
    repeat(5) { q0.add(IP_PROTOCOL_UDP, a, b, 42, 1337, 60) }
    repeat(3) { q1.add(IP_PROTOCOL_UDP, a, b, 42, 1337, 100) } // the same flow on another queue
    repeat(40) { port -> q1.add(IP_PROTOCOL_UDP, a, b, 100 + port, 1337, 64) } // q1 grows
    val merged = FlowTable(initialCapacity = 16)
    merged.addAll(q0)
    merged.addAll(q1)
    assertEquals(41, merged.size)
    assertEquals(Flow(IP_PROTOCOL_UDP, a, b, 42, 1337, 8, 600), merged.find(IP_PROTOCOL_UDP, a, b, 42, 1337))
    assertEquals(Flow(IP_PROTOCOL_UDP, a, b, 139, 1337, 1, 64), merged.find(IP_PROTOCOL_UDP, a, b, 139, 1337))
    assertEquals(48L, merged.flows().sumOf { it.packets })
    assertEquals(5L, q0.flows().sumOf { it.packets }, "the added table is unchanged")
  }

  @Test
  fun addAllCountsFlowsBeyondTheLimitAsUntracked() {
    val full = FlowTable(maxFlows = 2)
    full.add(IP_PROTOCOL_UDP, a, b, 1, 1, 10)
    full.add(IP_PROTOCOL_UDP, a, b, 2, 2, 10)
    val other = FlowTable(maxFlows = 1)
    repeat(2) { other.add(IP_PROTOCOL_UDP, a, b, 3, 3, 20) }
    other.add(IP_PROTOCOL_UDP, a, b, 4, 4, 30) // untracked in other
    full.addAll(other)
    assertEquals(2, full.size)
    assertEquals(3L, full.untrackedPackets)
    assertEquals(70L, full.untrackedBytes)
  }
}
