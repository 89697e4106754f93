package bad.useaftermove

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool): Int {
  val p = pool.alloc(64)
  val q = p
  val n = p.length() // error: ownership.use.after.consume
  q.free()
  return n
}
