package good.safecallsonlocal

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool) {
  val p = pool.tryAlloc(64)
  p?.putByte(0, 1)
  p?.free()
}
