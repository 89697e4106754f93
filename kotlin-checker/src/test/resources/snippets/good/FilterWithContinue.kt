package good.filterwithcontinue

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(input: PacketBatch, out: PacketBatch) {
  while (!input.isEmpty()) {
    val p = input.take()
    if (p.length() < 60) {
      p.free()
      continue
    }
    out.add(p)
  }
}
