package good.localletfrees

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool) {
  val p = pool.tryAlloc(60)
  p?.let { it.free() }
}
