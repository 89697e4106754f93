package bad.useafterfree

import dev.panamax.api.Mempool

fun f(pool: Mempool): Int {
  val p = pool.alloc(64)
  p.free()
  return p.length() // error: ownership.use.after.consume
}
