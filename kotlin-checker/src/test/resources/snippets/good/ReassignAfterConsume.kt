package good.reassignafterconsume

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool) {
  var p = pool.alloc(60)
  p.free()
  p = pool.alloc(60)
  p.free()
}
