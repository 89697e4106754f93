package good.alsothenadd

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool, batch: PacketBatch) {
  batch.add(pool.alloc(60).also { it.putByte(0, 1) })
}
