package bad.temporaryreceiver

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool): Int {
  return pool.alloc(64).length() // error: ownership.leak.unassigned
}
