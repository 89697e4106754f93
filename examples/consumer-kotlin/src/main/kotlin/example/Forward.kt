package example

import dev.panamax.api.NetworkDevice
import dev.panamax.api.PacketBatch
import dev.panamax.kotlin.receive
import dev.panamax.kotlin.transmit

/** Forwards packets from one device to another and prints what both counted. */
fun main(args: Array<String>) {
    val from = args.getOrElse(0) { "null:in" }
    val to = args.getOrElse(1) { "null:out" }
    val count = args.getOrNull(2)?.toLong() ?: 100_000L
    NetworkDevice.open(from).use { input ->
        NetworkDevice.open(to).use { output ->
            val batch = PacketBatch(32)
            var forwarded = 0L
            while (forwarded < count) {
                input.receive(batch, max = minOf(batch.remaining().toLong(), count - forwarded).toInt())
                forwarded += output.transmit(batch)
            }
            batch.freeAll()
            println("forwarded $forwarded packets: $from received ${input.stats().rxPackets()}, " +
                "$to sent ${output.stats().txPackets()}")
        }
    }
}
