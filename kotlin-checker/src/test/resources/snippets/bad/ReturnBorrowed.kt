package bad.returnborrowed

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun first(b: PacketBatch): OwnedPacket {
  return b.get(0) // error: ownership.borrowed.consumed
}
