package bad.runonborrowedfrees

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(p: OwnedPacket) {
  p.run {
    free() // error: ownership.borrowed.consumed
  }
}
