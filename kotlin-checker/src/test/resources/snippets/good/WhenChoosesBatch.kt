package good.whenchoosesbatch

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool, a: PacketBatch, b: PacketBatch, first: Boolean) {
  val p = pool.alloc(60)
  val target = when (first) {
    true -> a
    false -> b
  }
  target.add(p)
}
