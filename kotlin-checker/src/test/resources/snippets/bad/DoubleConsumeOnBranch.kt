package bad.doubleconsumeonbranch

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool, drop: Boolean) {
  val p = pool.alloc(64)
  if (drop) {
    p.free()
  }
  p.free() // error: ownership.double.consume
}
