package dev.panamax.kotlin.flows

import dev.panamax.api.NetworkDevice
import dev.panamax.api.PacketBatch
import dev.panamax.kotlin.ipv4Destination
import dev.panamax.kotlin.ipv4Protocol
import dev.panamax.kotlin.ipv4Source
import dev.panamax.kotlin.isIpv4
import dev.panamax.kotlin.l4DestinationPort
import dev.panamax.kotlin.l4SourcePort
import dev.panamax.kotlin.receiveAndFree

/**
 * Receives from one device queue and counts every IPv4 packet in a [FlowTable]; other frames
 * (ARP, IPv6, VLAN-tagged, truncated) are counted as "other". Each [poll] receives one batch and
 * frees it; nothing is allocated per packet once a flow is known.
 *
 * @param device the device to receive from
 * @param batchSize packets per receive call
 * @param table where flows are counted
 * @param queue the receive queue
 */
class FlowMonitor(
  private val device: NetworkDevice,
  batchSize: Int = 32,
  val table: FlowTable = FlowTable(),
  private val queue: Int = 0,
) {
  private val batch = PacketBatch(batchSize)

  /** Packets received. */
  var packets: Long = 0
    private set

  /** Bytes received (frame lengths without FCS). */
  var bytes: Long = 0
    private set

  /** Packets that were not IPv4 frames with a complete header. */
  var otherPackets: Long = 0
    private set

  /**
   * Receives one batch, counts it and frees it.
   *
   * @return the number of packets received
   */
  fun poll(): Int = device.receiveAndFree(batch, queue) { p ->
    val length = p.length()
    packets++
    bytes += length
    if (p.isIpv4) {
      table.add(p.ipv4Protocol, p.ipv4Source, p.ipv4Destination, p.l4SourcePort, p.l4DestinationPort, length)
    } else {
      otherPackets++
    }
  }
}
