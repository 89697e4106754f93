package bad.visitorcapturesouter

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(batch: PacketBatch, header: OwnedPacket) {
  batch.forEach { q -> q.putByte(0, header.getByte(0)) } // error: ownership.escape
}
