package good.tryfinallyfree

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool, payload: ByteArray) {
  val p = pool.alloc(64)
  try {
    p.setLength(payload.size)
  } finally {
    p.free()
  }
}
