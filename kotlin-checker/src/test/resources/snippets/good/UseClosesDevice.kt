package good.useclosesdevice

import dev.panamax.api.*
import dev.panamax.kotlin.*

fun f(batch: PacketBatch): Int =
  NetworkDevice.open("null:use").use { dev ->
    val n = dev.receive(batch)
    batch.freeAll()
    n
  }
