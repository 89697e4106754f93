package bad.useafterconsuminghelper

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun sink(@Consumes p: OwnedPacket) {
  p.free()
}

fun f(pool: Mempool): Int {
  val p = pool.alloc(64)
  sink(p)
  return p.length() // error: ownership.use.after.consume
}
