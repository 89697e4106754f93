package good.consumesparameter

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun drop(@Consumes p: OwnedPacket) {
  p.free()
}
