package bad.foreachpacketfrees

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(batch: PacketBatch) {
  batch.forEachPacket { p -> p.free() } // error: ownership.borrowed.consumed
}
