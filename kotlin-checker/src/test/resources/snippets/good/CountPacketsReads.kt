package good.countpacketsreads

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(batch: PacketBatch): Int = batch.countPackets { it.etherType == ETHERTYPE_IPV4 }
