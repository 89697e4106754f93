package bad.freebatchget

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(batch: PacketBatch) {
  val first = batch.get(0)
  first.free() // error: ownership.borrowed.consumed
}
