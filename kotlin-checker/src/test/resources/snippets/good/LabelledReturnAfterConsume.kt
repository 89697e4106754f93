package good.labelledreturnafterconsume

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(batch: PacketBatch, out: PacketBatch, pool: Mempool) {
  batch.forEachPacket { q ->
    val copy = pool.alloc(64)
    if (q.length() == 0) {
      copy.free()
      return@forEachPacket
    }
    out.add(copy)
  }
}
