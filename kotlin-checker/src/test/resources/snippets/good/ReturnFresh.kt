package good.returnfresh

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun build(pool: Mempool): OwnedPacket = pool.alloc(60)
