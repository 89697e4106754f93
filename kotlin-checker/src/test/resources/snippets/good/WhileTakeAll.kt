package good.whiletakeall

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(input: PacketBatch, out: PacketBatch) {
  while (!input.isEmpty()) {
    val p = input.take()
    out.add(p)
  }
}
