package good.tryallocnullreturn

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool) {
  val p = pool.tryAlloc(60)
  if (p == null) {
    return
  }
  p.free()
}
