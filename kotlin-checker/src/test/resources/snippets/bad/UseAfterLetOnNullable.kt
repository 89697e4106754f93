package bad.useafterletonnullable

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool): Int? {
  val p = pool.tryAlloc(64)
  p?.let { it.free() }
  return p?.length() // error: ownership.use.after.consume
}
