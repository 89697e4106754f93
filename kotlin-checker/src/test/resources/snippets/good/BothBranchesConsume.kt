package good.bothbranchesconsume

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool, batch: PacketBatch, drop: Boolean) {
  val p = pool.alloc(64)
  if (drop) {
    p.free()
  } else {
    batch.add(p)
  }
}
