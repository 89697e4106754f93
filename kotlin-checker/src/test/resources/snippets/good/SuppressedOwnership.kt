package good.suppressedownership

import dev.panamax.api.*
import dev.panamax.kotlin.*

@Suppress("ownership")
fun keep(pool: Mempool, list: MutableList<OwnedPacket>) {
  list.add(pool.alloc(60))
}
