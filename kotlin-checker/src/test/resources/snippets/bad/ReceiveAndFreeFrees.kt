package bad.receiveandfreefrees

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(dev: NetworkDevice, batch: PacketBatch, pool: Mempool) {
  dev.receiveAndFree(batch) { p ->
    pool.free(p) // error: ownership.borrowed.consumed
  }
}
