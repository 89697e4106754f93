package good.tryallocletintobatch

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool, batch: PacketBatch) {
  pool.tryAlloc(60)?.let { batch.add(it) }
}
