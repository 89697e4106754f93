package good.forrangefill

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool, batch: PacketBatch, n: Int) {
  for (i in 0 until n) {
    val p = pool.alloc(60)
    p.putByte(0, i.toByte())
    batch.add(p)
  }
}
