package good.allocandfree

import dev.panamax.api.Mempool

fun f(pool: Mempool) {
  val p = pool.alloc(64)
  p.putByte(0, 1)
  p.free()
}
