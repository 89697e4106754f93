package bad.useaftertransmit

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(dev: NetworkDevice, pool: Mempool, batch: PacketBatch) {
  val p = pool.alloc(60)
  batch.add(p)
  dev.transmit(batch)
  p.putByte(0, 1) // error: ownership.use.after.consume
  batch.freeAll()
}
