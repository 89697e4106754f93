package bad.leakoverwrite

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool) {
  var p = pool.alloc(64)
  p = pool.alloc(128) // error: ownership.leak
  p.free()
}
