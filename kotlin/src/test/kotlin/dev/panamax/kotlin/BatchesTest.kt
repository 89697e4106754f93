package dev.panamax.kotlin

import dev.panamax.api.DeviceOptions
import dev.panamax.api.DmaSource
import dev.panamax.api.NetworkDevice
import dev.panamax.api.PacketBatch
import dev.panamax.api.PacketOwnershipException
import java.lang.foreign.Arena
import java.lang.management.ManagementFactory
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** Batch iteration, device, stats and mempool extensions. */
class BatchesTest {
  private val threads = ManagementFactory.getThreadMXBean() as com.sun.management.ThreadMXBean

  @Test
  fun forEachPacketLendsEveryPacketFrontToBackAndKeepsThem() {
    Arena.ofConfined().use { arena ->
      val pool = arena.mempool(entryCount = 8, name = "iter")
      val batch = PacketBatch(8)
      assertEquals(5, pool.allocBatch(batch, 5, 60))
      batch.forEachPacketIndexed { i, p -> p[0] = (10 + i).toByte() }
      val seen = mutableListOf<Int>()
      batch.forEachPacket { p -> seen += p[0].toInt() }
      assertEquals(listOf(10, 11, 12, 13, 14), seen)
      assertEquals(5, batch.size(), "lending does not move packets out")
      assertEquals(2, batch.countPackets { it[0] >= 13 })
      assertEquals(300L, batch.totalBytes())
      assertEquals(5, batch.freeAll())
      var visits = 0
      batch.forEachPacket { visits++ }
      assertEquals(0, visits, "an empty batch lends nothing")
      assertEquals(8, pool.freeCount())
    }
  }

  @Test
  fun forEachPacketWithACapturingLambdaAllocatesNothing() {
    Arena.ofConfined().use { arena ->
      val pool = arena.mempool(entryCount = 32, name = "alloc")
      val batch = PacketBatch(32)
      pool.allocBatch(batch, 32, 60)
      var sum = 0L
      threads.currentThreadAllocatedBytes // first calls may initialise the counter
      val before = threads.currentThreadAllocatedBytes
      repeat(100) { batch.forEachPacket { p -> sum += p.length() } }
      val inline = threads.currentThreadAllocatedBytes - before
      // The same loop through the Java SAM method allocates a visitor (and a captured box) per
      // call while it runs interpreted: the meter sees allocation when there is some.
      val before2 = threads.currentThreadAllocatedBytes
      repeat(100) { batch.forEach { p -> sum += p.length() } }
      val sam = threads.currentThreadAllocatedBytes - before2
      assertEquals(2L * 100 * 32 * 60, sum)
      assertEquals(0L, inline, "inline forEachPacket allocated $inline bytes")
      assertTrue(sam > 0, "the SAM loop allocated $sam bytes")
      batch.freeAll()
    }
  }

  @Test
  fun receiveTransmitAndReceiveAndFreeUseQueueZeroAndTheBatchRoom() {
    Arena.ofConfined().use { arena ->
      val pool = arena.mempool(entryCount = 64, name = "rt")
      NetworkDevice.open("pair:kt-rt:0").use { a ->
        NetworkDevice.open("pair:kt-rt:1").use { b ->
          val out = PacketBatch(16)
          pool.allocBatch(out, 10, 100)
          out.forEachPacketIndexed { i, p -> p[0] = i.toByte() }
          assertEquals(10, a.transmit(out))
          assertTrue(out.isEmpty)
          val into = PacketBatch(4)
          assertEquals(4, b.receive(into), "as many as the batch has room for")
          assertEquals(0, b.receive(into), "a full batch takes nothing")
          into.freeAll()
          assertEquals(2, b.receive(into, max = 2))
          into.freeAll()
          val firstBytes = mutableListOf<Int>()
          assertEquals(4, b.receiveAndFree(into) { p -> firstBytes += p[0].toInt() })
          assertEquals(listOf(6, 7, 8, 9), firstBytes)
          assertTrue(into.isEmpty, "receiveAndFree frees what it lent")
          assertEquals(64, pool.freeCount(), "every buffer is back in the pool")
          assertEquals(10, b.stats().rxPackets())
        }
      }
    }
  }

  @Test
  fun receiveAndFreeEmptiesTheBatchWhenTheActionThrowsAtAnyPacket() {
    Arena.ofConfined().use { arena ->
      val pool = arena.mempool(entryCount = 16, name = "kt-fault")
      NetworkDevice.open("pair:kt-fault:0").use { a ->
        NetworkDevice.open("pair:kt-fault:1").use { b ->
          for (k in 0 until 5) {
            val out = PacketBatch(8)
            pool.allocBatch(out, 5, 60)
            out.forEachPacketIndexed { i, p -> p[0] = i.toByte() }
            assertEquals(5, a.transmit(out))
            val into = PacketBatch(8)
            val seen = mutableListOf<Int>()
            val e = assertThrows(IllegalStateException::class.java) {
              b.receiveAndFree(into) { p ->
                check(p[0].toInt() != k) { "action fails at $k" }
                seen += p[0].toInt()
              }
            }
            assertEquals("action fails at $k", e.message)
            assertEquals((0 until k).toList(), seen)
            assertTrue(into.isEmpty, "every received packet was freed, k=$k")
            assertEquals(16, pool.freeCount(), pool.toString())
            assertEquals(0, b.receive(into), "nothing is received twice")
          }
        }
      }
    }
  }

  @Test
  @Suppress("ownership") // frees a lent packet on purpose, to make the batch's freeAll fail
  fun receiveAndFreeAttachesAFreeingFailureToTheActionsException() {
    Arena.ofConfined().use { arena ->
      val pool = arena.mempool(entryCount = 4, name = "kt-fault2")
      NetworkDevice.open("pair:kt-fault2:0").use { a ->
        NetworkDevice.open("pair:kt-fault2:1").use { b ->
          val out = PacketBatch(4)
          pool.allocBatch(out, 4, 60)
          assertEquals(4, a.transmit(out))
          val into = PacketBatch(4)
          val e = assertThrows(IllegalStateException::class.java) {
            b.receiveAndFree(into) { p ->
              p.free() // unchecked in Kotlin: the batch still holds the handle
              error("action fails")
            }
          }
          assertEquals("action fails", e.message)
          assertEquals(1, e.suppressed.size)
          assertInstanceOf(PacketOwnershipException::class.java, e.suppressed[0])
          assertTrue(into.isEmpty)
          assertEquals(4, pool.freeCount(), pool.toString())
        }
      }
    }
  }

  @Test
  fun statsMinusIsTheDelta() {
    NetworkDevice.open("null:kt-stats").use { dev ->
      val before = dev.stats()
      val batch = PacketBatch(32)
      dev.receive(batch)
      batch.freeAll()
      val diff = dev.stats() - before
      assertEquals(dev.stats().delta(before).rxPackets, diff.rxPackets)
      assertEquals(32L, diff.rxPackets)
      assertEquals(32L * 60, diff.rxBytes)
      assertTrue(diff.nanos > 0)
    }
  }

  @Test
  fun arenaMempoolHasNamedDefaults() {
    Arena.ofConfined().use { arena ->
      val pool = arena.mempool(entryCount = 4)
      assertEquals("pool", pool.name())
      assertEquals(2048, pool.entrySize())
      assertEquals(4, pool.capacity())
      val named = arena.mempool(entryCount = 2, entrySize = 4096, name = "big")
      assertEquals("big", named.name())
      assertEquals(4096 - 64, named.packetCapacity())
      // Kotlin sees the api's @Nullable result as nullable and everything else as non-null.
      val first = named.tryAlloc(60)
      val second = named.tryAlloc(60)
      val third = named.tryAlloc(60)
      assertEquals(null, third)
      third?.free()
      first?.free()
      second?.free()
    }
  }

  @Test
  fun dmaSourceForPicksVirtualMemoryForInMemoryDevicesAndHugepagesForPci() {
    assertEquals(DmaSource.virtualMemory(), dmaSourceFor("pair:x:0"))
    assertEquals(DmaSource.virtualMemory(), dmaSourceFor("null:x"))
    assertInstanceOf(DmaSource.Hugepages::class.java, dmaSourceFor("0000:03:00.0"))
    assertEquals(DeviceOptions.defaults().dmaSource, dmaSourceFor("0000:03:00.0"))
  }
}
