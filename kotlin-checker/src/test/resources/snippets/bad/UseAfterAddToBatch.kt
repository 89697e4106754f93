package bad.useafteraddtobatch

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool, batch: PacketBatch) {
  val p = pool.alloc(64)
  batch.add(p)
  p.putByte(0, 1) // error: ownership.use.after.consume
}
