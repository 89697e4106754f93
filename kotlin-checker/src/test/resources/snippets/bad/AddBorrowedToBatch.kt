package bad.addborrowedtobatch

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(p: OwnedPacket, out: PacketBatch) {
  out.add(p) // error: ownership.borrowed.consumed
}
