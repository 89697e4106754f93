package good.freetemporary

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool) {
  pool.alloc(60).free()
}
