package good.freeiffilter

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(batch: PacketBatch): Int = batch.freeIf { it.length() < 60 }
