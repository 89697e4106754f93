package bad.freeaftersend

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(dev: NetworkDevice, pool: Mempool, batch: PacketBatch) {
  val p = pool.alloc(64)
  batch.add(p)
  dev.txBatch(0, batch)
  pool.free(p) // error: ownership.double.consume
}
