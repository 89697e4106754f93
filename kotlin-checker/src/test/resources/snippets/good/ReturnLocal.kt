package good.returnlocal

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun build(pool: Mempool): OwnedPacket {
  val p = pool.alloc(60)
  p.putByte(0, 1)
  return p
}
