package bad.freeiflambdafrees

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(batch: PacketBatch) {
  batch.freeIf { p ->
    p.free() // error: ownership.borrowed.consumed
    true
  }
}
