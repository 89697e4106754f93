package good.breakafterconsume

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(input: PacketBatch, out: PacketBatch) {
  while (true) {
    val p = input.take()
    if (p.length() == 0) {
      p.free()
      break
    }
    out.add(p)
  }
}
