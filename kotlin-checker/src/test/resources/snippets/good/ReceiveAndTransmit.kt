package good.receiveandtransmit

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(rx: NetworkDevice, tx: NetworkDevice, batch: PacketBatch) {
  rx.receive(batch)
  tx.transmit(batch)
  batch.freeAll()
}
