package bad.useaftermempoolfree

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool): Int {
  val p = pool.alloc(64)
  pool.free(p)
  return p.length() // error: ownership.use.after.consume
}
