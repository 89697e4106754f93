package good.takelastandrequeue

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(batch: PacketBatch, out: PacketBatch) {
  if (batch.isEmpty()) return
  val p = batch.takeLast()
  out.add(p)
}
