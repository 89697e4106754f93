package bad.freeborrowedparameter

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun inspect(p: OwnedPacket) {
  if (p.length() == 0) {
    p.free() // error: ownership.borrowed.consumed
  }
}
