package bad.leaknullablenotchecked

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool): Boolean {
  val p = pool.tryAlloc(64)
  return p != null // error: ownership.leak
}
