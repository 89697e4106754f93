package dev.panamax.kotlin

import dev.panamax.api.NetworkDevice
import dev.panamax.api.PacketBatch
import dev.panamax.api.PacketOwnershipException
import java.lang.foreign.Arena
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotSame
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * Misuse that the ownership checker would reject at compile time (suppressed here) is caught at
 * run time with PacketOwnershipException naming the pool, the buffer and what consumed it. Runs
 * in the default mode and again in strict ownership mode (surefire execution strict-ownership).
 */
@Suppress("ownership") // the run-time checks under test need the misuse the compile-time check rejects
class OwnershipKotlinTest {
  private val strict = System.getProperty("panamax.strictOwnership") == "true"

  @Test
  fun readingAPacketAfterSendingItThrowsNamingTheDevice() {
    Arena.ofConfined().use { arena ->
      val pool = arena.mempool(entryCount = 8, name = "kt-send")
      NetworkDevice.open("pair:kt-send:0").use { tx ->
        NetworkDevice.open("pair:kt-send:1").use { _ ->
          val p = pool.alloc(60)
          p[0] = 1
          val batch = PacketBatch(4)
          batch.add(p)
          assertEquals(1, tx.transmit(batch))
          val e = assertThrows<PacketOwnershipException> { p[0] }
          assertEquals(
            "getByte() on a packet the application no longer owns: pool 'kt-send' buffer" +
              " #${p.bufferIndex()} was consumed by txBatch on pair:kt-send:0 and is now held by a device",
            e.message,
          )
          assertThrows<PacketOwnershipException> { p.length() }
          assertThrows<PacketOwnershipException> { p.isIpv4 }
        }
      }
    }
  }

  @Test
  fun sendingAPacketTwiceIsRefusedAndTheStaleHandleStaysWithTheCaller() {
    Arena.ofConfined().use { arena ->
      val pool = arena.mempool(entryCount = 8, name = "kt-twice")
      NetworkDevice.open("pair:kt-twice:0").use { tx ->
        NetworkDevice.open("pair:kt-twice:1").use { _ ->
          val p = pool.alloc(60)
          val batch = PacketBatch(4)
          batch.add(p)
          tx.transmit(batch)
          batch.add(p) // compiles: Kotlin does not know p was consumed
          val e = assertThrows<PacketOwnershipException> { tx.transmit(batch) }
          assertEquals(
            "txBatch on pair:kt-twice:0 on a packet the application no longer owns: pool 'kt-twice'" +
              " buffer #${p.bufferIndex()} was consumed by txBatch on pair:kt-twice:0 and is now held by a device",
            e.message,
          )
          assertEquals(1, batch.size(), "the refused handle is still in the caller's batch")
          assertEquals(1, tx.stats().txPackets, "only the first send went out")
          batch.take() // drop the dead handle; the device owns the buffer
        }
      }
    }
  }

  @Test
  fun freeingALentPacketInsideForEachPacketIsCaughtByTheBatchsFree() {
    Arena.ofConfined().use { arena ->
      val pool = arena.mempool(entryCount = 4, name = "kt-lent")
      val batch = PacketBatch(4)
      pool.allocBatch(batch, 1, 60)
      batch.forEachPacket { p -> p.free() } // a borrow must not consume; nothing stops it here
      val e = assertThrows<PacketOwnershipException> { batch.freeAll() }
      assertTrue(
        e.message!!.startsWith("free() on a packet the application no longer owns: pool 'kt-lent' buffer #"),
        e.message,
      )
      assertTrue(e.message!!.contains(" was consumed by free() and is back in its pool"), e.message)
      assertEquals(4, pool.freeCount(), "the buffer was freed once, not twice")
    }
  }

  @Test
  fun aStaleHandleAfterItsBufferCameBackIsCaughtOnlyInStrictMode() {
    Arena.ofConfined().use { arena ->
      val pool = arena.mempool(entryCount = 8, name = "kt-reuse")
      NetworkDevice.open("pair:kt-reuse:0").use { tx ->
        NetworkDevice.open("pair:kt-reuse:1").use { rx ->
          val p = pool.alloc(60)
          val batch = PacketBatch(4)
          batch.add(p)
          tx.transmit(batch)
          assertEquals(1, rx.receive(batch))
          val received = batch.get(0)
          if (strict) {
            assertNotSame(p, received, "strict mode issues a fresh handle on receive")
            val e = assertThrows<PacketOwnershipException> { p.length() }
            assertEquals(
              "length() on a packet the application no longer owns: pool 'kt-reuse' buffer #${p.bufferIndex()}" +
                " was consumed by txBatch on pair:kt-reuse:0 and was received again under a new handle;" +
                " strict ownership mode: this handle is stale, it was issued at generation 1 and the buffer" +
                " is now at generation 2 (handed out again since)",
              e.message,
            )
          } else {
            // The default mode's documented limit: one handle per buffer, so the stale variable
            // is the receiver's handle again and its use goes unnoticed.
            assertSame(p, received)
            assertEquals(60, p.length())
          }
          batch.freeAll()
        }
      }
    }
  }
}
