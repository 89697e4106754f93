package bad.doublefree

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool) {
  val p = pool.alloc(64)
  p.free()
  p.free() // error: ownership.double.consume
}
