package bad.labelledreturnleaks

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(batch: PacketBatch, out: PacketBatch, pool: Mempool) {
  batch.forEachPacket { q ->
    val copy = pool.alloc(64) // error: ownership.leak
    if (q.length() == 0) return@forEachPacket
    out.add(copy)
  }
}
