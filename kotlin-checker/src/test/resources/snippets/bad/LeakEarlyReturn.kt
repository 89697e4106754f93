package bad.leakearlyreturn

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool, batch: PacketBatch) {
  val p = pool.alloc(64)
  if (batch.isFull()) {
    return // error: ownership.leak
  }
  batch.add(p)
}
