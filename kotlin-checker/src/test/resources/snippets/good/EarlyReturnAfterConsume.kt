package good.earlyreturnafterconsume

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool, batch: PacketBatch) {
  val p = pool.alloc(64)
  if (batch.isFull()) {
    p.free()
    return
  }
  batch.add(p)
}
