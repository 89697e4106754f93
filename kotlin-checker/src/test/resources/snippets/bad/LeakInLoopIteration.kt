package bad.leakinloopiteration

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(input: PacketBatch, out: PacketBatch) {
  while (!input.isEmpty()) {
    val p = input.take() // error: ownership.leak
    if (p.length() >= 60) {
      out.add(p)
    }
  }
}
