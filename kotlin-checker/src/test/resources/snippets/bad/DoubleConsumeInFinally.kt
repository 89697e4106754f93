package bad.doubleconsumeinfinally

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool) {
  val p = pool.alloc(64)
  try {
    p.free()
  } finally {
    p.free() // error: ownership.double.consume
  }
}
