package good.stringandcomparisonuses

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool) {
  val p = pool.alloc(60)
  val q = pool.alloc(60)
  println("packets $p and $q")
  if (p == q) {
    println("same")
  }
  p.free()
  q.free()
}
