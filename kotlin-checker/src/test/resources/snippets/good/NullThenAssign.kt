package good.nullthenassign

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool, want: Boolean) {
  var p: OwnedPacket? = null
  if (want) {
    p = pool.alloc(60)
  }
  p?.free()
}
