package dev.panamax.kotlin

import dev.panamax.api.NetworkDevice
import dev.panamax.api.PacketBatch
import java.lang.foreign.Arena
import java.nio.file.Files
import java.nio.file.Path
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** The first program of docs/kotlin.md, verbatim, plus checks of what it did. */
class GuideExampleTest {

  @Test
  fun firstKotlinProgramSendsAndCountsArpFrames() {
    var pool: dev.panamax.api.Mempool? = null
    var arpSeen = -1
    // --- docs/kotlin.md: begin
    Arena.ofConfined().use { arena ->                       // closed last: the pool hands out no more
      val packets = arena.mempool(entryCount = 256, name = "guide")
      NetworkDevice.open("pair:guide:0").use { tx ->        // devices close before the arena
        NetworkDevice.open("pair:guide:1").use { rx ->
          val batch = PacketBatch(32)
          packets.allocBatch(batch, 32, 60)
          batch.forEachPacket { p ->                          // inline: no allocation
            p.fill(0, p.length(), 0)
            p.putShort(12, ETHERTYPE_ARP.toShort())
          }
          tx.transmit(batch)                                  // accepted packets move to tx
          var arp = 0
          rx.receiveAndFree(batch) { p -> if (p.etherType == ETHERTYPE_ARP) arp++ }
          println("received $arp ARP frames")
    // --- docs/kotlin.md: end
          arpSeen = arp
          pool = packets
          assertEquals(32L, tx.stats().txPackets)
        }
      }
      assertEquals(256, pool!!.freeCount())
    }
    assertEquals(32, arpSeen)
  }

  @Test
  fun theGuideShowsThisTestsCode() {
    val source = Files.readString(Path.of("src/test/kotlin/dev/panamax/kotlin/GuideExampleTest.kt"))
    val snippet = source.substringAfter("// --- docs/kotlin.md: begin\n").substringBefore("    // --- docs/kotlin.md: end")
    val guide = Files.readString(Path.of("../docs/kotlin.md"))
    assertTrue(snippet.lines().size > 10, snippet)
    assertTrue(guide.contains(snippet.trimIndent()), "docs/kotlin.md does not contain:\n" + snippet.trimIndent())
  }
}
