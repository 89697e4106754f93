package bad.leakinwhenwithoutelse

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(input: PacketBatch, out: PacketBatch, code: Int) {
  val p = input.take() // error: ownership.leak
  when (code) {
    0 -> out.add(p)
    1 -> p.free()
  }
}
