package good.consumesparameterforwarded

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun drop(@Consumes p: OwnedPacket, pool: Mempool) {
  pool.free(p)
}

fun f(pool: Mempool) {
  drop(pool.alloc(60), pool)
}
