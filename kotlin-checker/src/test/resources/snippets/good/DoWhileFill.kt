package good.dowhilefill

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool, batch: PacketBatch) {
  do {
    val p = pool.alloc(60)
    batch.add(p)
  } while (!batch.isFull())
}
