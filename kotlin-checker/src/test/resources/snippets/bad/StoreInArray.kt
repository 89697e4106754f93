package bad.storeinarray

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool, slots: Array<OwnedPacket?>) {
  val p = pool.alloc(64)
  slots[0] = p // error: ownership.escape
}
