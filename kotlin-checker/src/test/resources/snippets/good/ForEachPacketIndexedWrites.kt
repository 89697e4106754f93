package good.foreachpacketindexedwrites

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(batch: PacketBatch) {
  batch.forEachPacketIndexed { i, p -> p.putByte(0, i.toByte()) }
}
