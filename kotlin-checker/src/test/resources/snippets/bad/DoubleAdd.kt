package bad.doubleadd

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool, batch: PacketBatch) {
  val p = pool.alloc(64)
  batch.add(p)
  batch.add(p) // error: ownership.double.consume
}
