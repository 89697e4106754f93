package good.tryallocnotnullbranch

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool, batch: PacketBatch) {
  val p = pool.tryAlloc(60)
  if (p != null) {
    batch.add(p)
  }
}
