package good.elvisreturn

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool) {
  val p = pool.tryAlloc(60) ?: return
  p.free()
}
