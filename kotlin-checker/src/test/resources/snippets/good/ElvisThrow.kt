package good.elvisthrow

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool) {
  val p = pool.tryAlloc(60) ?: throw IllegalStateException("pool empty")
  p.free()
}
