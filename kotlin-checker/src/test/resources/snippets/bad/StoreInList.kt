package bad.storeinlist

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool, list: MutableList<OwnedPacket>) {
  val p = pool.alloc(64)
  list.add(p) // error: ownership.escape
}
