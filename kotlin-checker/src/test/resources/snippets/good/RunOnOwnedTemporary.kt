package good.runonownedtemporary

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool) {
  pool.alloc(60).run {
    putByte(0, 1)
    free()
  }
}
