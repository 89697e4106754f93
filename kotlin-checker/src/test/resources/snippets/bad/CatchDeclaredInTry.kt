package bad.catchdeclaredintry

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(batch: PacketBatch, pool: Mempool, payload: ByteArray): Boolean {
  try {
    val p = pool.alloc(64) // error: ownership.leak
    p.setLength(payload.size)
    batch.add(p)
    return true
  } catch (e: IllegalStateException) {
    return false
  }
}
