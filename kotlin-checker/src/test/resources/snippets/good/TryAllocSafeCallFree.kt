package good.tryallocsafecallfree

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool) {
  pool.tryAlloc(60)?.free()
}
