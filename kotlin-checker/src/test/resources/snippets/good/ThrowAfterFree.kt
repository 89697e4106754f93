package good.throwafterfree

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool, batch: PacketBatch) {
  val p = pool.alloc(60)
  if (p.length() == 0) {
    p.free()
    throw IllegalArgumentException("empty")
  }
  batch.add(p)
}
