package good.receiveandfreereads

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(dev: NetworkDevice, batch: PacketBatch): Int {
  var bytes = 0
  dev.receiveAndFree(batch) { p -> bytes += p.length() }
  return bytes
}
