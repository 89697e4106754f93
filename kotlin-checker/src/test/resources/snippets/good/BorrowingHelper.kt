package good.borrowinghelper

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun inspect(p: OwnedPacket): Int = p.length()

fun f(pool: Mempool) {
  val p = pool.alloc(60)
  inspect(p)
  p.free()
}
