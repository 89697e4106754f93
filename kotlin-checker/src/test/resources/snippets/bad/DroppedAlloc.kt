package bad.droppedalloc

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool) {
  pool.alloc(64) // error: ownership.leak.unassigned
}
