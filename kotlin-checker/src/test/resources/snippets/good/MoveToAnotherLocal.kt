package good.movetoanotherlocal

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool) {
  val p = pool.alloc(60)
  val q = p
  q.free()
}
