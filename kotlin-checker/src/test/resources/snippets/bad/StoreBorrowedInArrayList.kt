package bad.storeborrowedinarraylist

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun remember(b: OwnedPacket, seen: java.util.ArrayList<OwnedPacket>) {
  seen.add(b) // error: ownership.escape
}
