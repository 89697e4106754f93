package bad.freebatchgetdirectly

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(batch: PacketBatch) {
  batch.get(0).free() // error: ownership.borrowed.consumed
}
