package good.foreachpacketreads

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(batch: PacketBatch) {
  batch.forEachPacket { p -> p.putByte(0, 1) }
}
