package bad.leakincatch

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(batch: PacketBatch, pool: Mempool): Boolean {
  val p = pool.alloc(64)
  try {
    batch.add(p)
  } catch (full: IllegalStateException) {
    return false // error: ownership.leak
  }
  return true
}
