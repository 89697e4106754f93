package bad.captureinanonymousobject

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool): Runnable {
  val p = pool.alloc(64)
  return object : Runnable {
    override fun run() {
      p.free() // error: ownership.escape
    }
  }
}
