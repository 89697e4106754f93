package good.nestedtryfinally

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(pool: Mempool, batch: PacketBatch) {
  val p = pool.alloc(60)
  try {
    try {
      p.putByte(0, 1)
    } finally {
      println("inner")
    }
  } finally {
    batch.add(p)
  }
}
