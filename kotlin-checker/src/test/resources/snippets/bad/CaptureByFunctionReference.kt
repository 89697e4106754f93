package bad.capturebyfunctionreference

import dev.panamax.api.*

fun f(pool: Mempool): () -> Unit {
  val p = pool.alloc(64)
  return p::free // error: ownership.escape
}
