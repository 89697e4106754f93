package bad.leakinforeachpacketlambda

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(batch: PacketBatch, pool: Mempool) {
  batch.forEachPacket { q ->
    val copy = pool.alloc(q.length()) // error: ownership.leak
    copy.putByte(0, q.getByte(0))
  }
}
