package bad.leakonbreak

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(input: PacketBatch, out: PacketBatch) {
  for (i in 0 until 8) {
    val p = input.take() // error: ownership.leak
    if (p.length() == 0) {
      break
    }
    out.add(p)
  }
}
