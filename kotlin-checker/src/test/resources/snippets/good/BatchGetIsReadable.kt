package good.batchgetisreadable

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(batch: PacketBatch) {
  val first = batch.get(0)
  first.putByte(0, 1)
}
