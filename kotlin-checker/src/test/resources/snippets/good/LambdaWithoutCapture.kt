package good.lambdawithoutcapture

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool): Runnable {
  val p = pool.alloc(60)
  p.free()
  return Runnable { println("tick") }
}
