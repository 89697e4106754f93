package bad.doublefreethroughalso

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool) {
  val p = pool.alloc(64)
  p.also { it.free() }.free() // error: ownership.double.consume
}
