package bad.elvisreturnthendoublefree

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool) {
  val p = pool.tryAlloc(64) ?: return
  p.free()
  p.free() // error: ownership.double.consume
}
