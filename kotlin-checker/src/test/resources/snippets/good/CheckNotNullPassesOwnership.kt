package good.checknotnullpassesownership

import dev.panamax.api.*

fun f(pool: Mempool) {
  val maybe = pool.tryAlloc(64)
  if (maybe == null) return
  val p = maybe!!
  p.free()
}
