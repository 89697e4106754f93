package good.indexoperators

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool) {
  val p = pool.alloc(60)
  p[0] = 1
  println(p[0])
  p.free()
}
