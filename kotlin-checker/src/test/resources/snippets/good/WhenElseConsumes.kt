package good.whenelseconsumes

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(input: PacketBatch, out: PacketBatch, code: Int) {
  val p = input.take()
  when (code) {
    0 -> out.add(p)
    else -> p.free()
  }
}
