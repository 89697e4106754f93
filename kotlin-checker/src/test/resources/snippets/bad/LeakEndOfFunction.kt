package bad.leakendoffunction

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool) {
  val p = pool.alloc(64) // error: ownership.leak
  p.putByte(0, 1)
}
