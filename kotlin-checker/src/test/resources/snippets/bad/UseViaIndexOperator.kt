package bad.useviaindexoperator

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool): Byte {
  val p = pool.alloc(64)
  p.free()
  return p[0] // error: ownership.use.after.consume
}
