package bad.storevialistof

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool): Int {
  val p = pool.alloc(64)
  val l = listOf(p) // error: ownership.escape
  return l.size
}
