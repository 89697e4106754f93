package bad.storeinmap

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool, map: MutableMap<Int, OwnedPacket>) {
  val p = pool.alloc(64)
  map[1] = p // error: ownership.escape
}
