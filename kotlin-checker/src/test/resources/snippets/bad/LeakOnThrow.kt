package bad.leakonthrow

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool) {
  val p = pool.alloc(64)
  if (p.length() == 0) {
    throw IllegalStateException("empty") // error: ownership.leak
  }
  p.free()
}
