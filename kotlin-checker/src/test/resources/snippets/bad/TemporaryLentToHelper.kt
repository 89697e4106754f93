package bad.temporarylenttohelper

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun inspect(p: OwnedPacket): Int = p.length()

fun f(pool: Mempool): Int {
  return inspect(pool.alloc(64)) // error: ownership.leak.unassigned
}
