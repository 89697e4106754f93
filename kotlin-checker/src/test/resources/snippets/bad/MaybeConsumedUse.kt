package bad.maybeconsumeduse

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool, batch: PacketBatch, drop: Boolean) {
  val p = pool.alloc(64)
  if (drop) {
    p.free()
  }
  println(p.length()) // error: ownership.use.after.consume
  batch.add(p) // error: ownership.double.consume
}
