package bad.captureinkotlinlambda

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool): () -> Int {
  val p = pool.alloc(64)
  val size = { p.length() } // error: ownership.escape
  return size
}
