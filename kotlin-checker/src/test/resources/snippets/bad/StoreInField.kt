package bad.storeinfield

import dev.panamax.api.*
import dev.panamax.kotlin.*

class Holder {
  var last: OwnedPacket? = null

  fun f(pool: Mempool) {
    val p = pool.alloc(64)
    last = p // error: ownership.escape
  }
}
