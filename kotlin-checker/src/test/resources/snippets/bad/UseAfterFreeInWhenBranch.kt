package bad.useafterfreeinwhenbranch

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool, code: Int): Int {
  val p = pool.alloc(64)
  return when (code) {
    0 -> {
      p.free()
      p.length() // error: ownership.use.after.consume
    }
    else -> {
      val n = p.length()
      p.free()
      n
    }
  }
}
