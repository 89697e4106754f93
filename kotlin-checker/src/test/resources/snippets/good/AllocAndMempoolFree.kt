package good.allocandmempoolfree

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool) {
  val p = pool.alloc(64)
  p.putByte(0, 1)
  pool.free(p)
}
