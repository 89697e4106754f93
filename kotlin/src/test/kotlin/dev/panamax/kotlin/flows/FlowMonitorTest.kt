package dev.panamax.kotlin.flows

import dev.panamax.api.DeviceOptions
import dev.panamax.api.NetworkDevice
import dev.panamax.kotlin.IP_PROTOCOL_ICMP
import dev.panamax.kotlin.IP_PROTOCOL_TCP
import dev.panamax.kotlin.IP_PROTOCOL_UDP
import dev.panamax.kotlin.NO_FIELD
import dev.panamax.kotlin.Tuple
import dev.panamax.kotlin.mempool
import dev.panamax.kotlin.parseIpv4
import dev.panamax.kotlin.sendFrames
import dev.panamax.kotlin.writeArp
import dev.panamax.kotlin.writeIpv4
import java.lang.foreign.Arena
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

/**
 * The flow monitor over an in-memory link: known traffic in, exact counts per flow out. Also runs
 * in strict ownership mode.
 */
class FlowMonitorTest {
  private val udp = Tuple(IP_PROTOCOL_UDP, "10.0.0.1", "10.0.0.2", 42, 1337)
  private val tcp = Tuple(IP_PROTOCOL_TCP, "192.168.1.10", "192.168.1.20", 51000, 443)
  private val udpBack = Tuple(IP_PROTOCOL_UDP, "10.0.0.2", "10.0.0.1", 1337, 42)
  private val icmp = Tuple(IP_PROTOCOL_ICMP, "10.0.0.1", "10.0.0.9", 0, 0)

  @Test
  fun countsEveryFlowExactlyAndRanksThem() {
    Arena.ofConfined().use { arena ->
      val pool = arena.mempool(entryCount = 512, name = "traffic")
      val options = DeviceOptions.defaults().withRingSize(512)
      NetworkDevice.open("pair:kt-monitor:1", options).use { sender ->
        NetworkDevice.open("pair:kt-monitor:0", options).use { receiver ->
          val monitor = FlowMonitor(receiver, batchSize = 16)
          // Interleave sending and receiving so that more packets pass than the pool holds.
          repeat(2) {
            sendFrames(sender, pool, 100, 100) { it.writeIpv4(udp) }
            sendFrames(sender, pool, 60, 60) { it.writeIpv4(tcp) }
            sendFrames(sender, pool, 20, 60) { it.writeIpv4(udpBack) }
            sendFrames(sender, pool, 20, 1000) { it.writeIpv4(udpBack) }
            sendFrames(sender, pool, 5, 74) { it.writeIpv4(icmp) }
            sendFrames(sender, pool, 7, 60) { it.writeArp() }
            while (monitor.poll() > 0) {
              // drain the link
            }
          }
          val t = monitor.table
          assertEquals(4, t.size)
          assertEquals(flow(udp, 200, 200L * 100), lookup(t, udp))
          assertEquals(flow(tcp, 120, 120L * 60), lookup(t, tcp))
          assertEquals(flow(udpBack, 80, 40L * 60 + 40L * 1000), lookup(t, udpBack))
          assertEquals(Flow(IP_PROTOCOL_ICMP, parseIpv4("10.0.0.1"), parseIpv4("10.0.0.9"), NO_FIELD, NO_FIELD, 10, 740),
            t.find(IP_PROTOCOL_ICMP, parseIpv4("10.0.0.1"), parseIpv4("10.0.0.9"), NO_FIELD, NO_FIELD))
          assertEquals(listOf(udp, tcp, udpBack), t.top(3).map { Tuple(it.protocol, ip(it.source), ip(it.destination), it.sourcePort, it.destinationPort) })
          assertEquals(424L, monitor.packets)
          assertEquals(14L, monitor.otherPackets)
          val expectedBytes = 200L * 100 + 120 * 60 + 40 * 60 + 40 * 1000 + 10 * 74 + 14 * 60
          assertEquals(expectedBytes, monitor.bytes)
          assertEquals(monitor.packets, receiver.stats().rxPackets, "the device counted the same packets")
          assertEquals(monitor.bytes, receiver.stats().rxBytes)
          assertEquals(512, pool.freeCount(), "the monitor freed every packet")
        }
      }
    }
  }

  private fun lookup(t: FlowTable, tuple: Tuple): Flow? =
    t.find(tuple.protocol, parseIpv4(tuple.source), parseIpv4(tuple.destination), tuple.sourcePort, tuple.destinationPort)

  private fun flow(tuple: Tuple, packets: Long, bytes: Long) =
    Flow(tuple.protocol, parseIpv4(tuple.source), parseIpv4(tuple.destination), tuple.sourcePort, tuple.destinationPort, packets, bytes)

  private fun ip(address: Int) = dev.panamax.kotlin.formatIpv4(address)
}
