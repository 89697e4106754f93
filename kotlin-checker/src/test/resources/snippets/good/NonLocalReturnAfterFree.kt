package good.nonlocalreturnafterfree

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(batch: PacketBatch, pool: Mempool) {
  val p = pool.alloc(64)
  batch.forEachPacket { q ->
    if (q.length() == 0) {
      p.free()
      return
    }
  }
  p.free()
}
