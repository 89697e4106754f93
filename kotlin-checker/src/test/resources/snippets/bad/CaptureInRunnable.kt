package bad.captureinrunnable

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool): Runnable {
  val p = pool.alloc(64)
  return Runnable { p.free() } // error: ownership.escape
}
