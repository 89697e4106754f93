package bad.lambdarunmanytimesconsumesouter

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(batch: PacketBatch, out: PacketBatch, pool: Mempool) {
  val p = pool.alloc(64) // error: ownership.leak
  batch.forEachPacket { q ->
    out.add(p) // error: ownership.double.consume
  }
}
