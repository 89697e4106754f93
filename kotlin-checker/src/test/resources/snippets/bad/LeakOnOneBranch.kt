package bad.leakononebranch

import dev.panamax.api.Mempool
import dev.panamax.api.PacketBatch

fun f(pool: Mempool, batch: PacketBatch, big: Boolean) {
  val p = pool.alloc(64) // error: ownership.leak
  if (big) {
    batch.add(p)
  }
}
