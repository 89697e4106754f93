package bad.foreachpacketitfrees

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(batch: PacketBatch, pool: Mempool) {
  batch.forEachPacket {
    if (it.length() == 0) {
      pool.free(it) // error: ownership.borrowed.consumed
    }
  }
}
