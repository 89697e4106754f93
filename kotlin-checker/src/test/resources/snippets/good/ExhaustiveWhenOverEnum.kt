package good.exhaustivewhenoverenum

import dev.panamax.api.*
import dev.panamax.kotlin.*

enum class Verdict { FORWARD, DROP }

fun f(input: PacketBatch, out: PacketBatch, v: Verdict) {
  val p = input.take()
  when (v) {
    Verdict.FORWARD -> out.add(p)
    Verdict.DROP -> p.free()
  }
}
