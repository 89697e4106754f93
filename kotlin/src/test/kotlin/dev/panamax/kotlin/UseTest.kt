package dev.panamax.kotlin

import dev.panamax.api.LinkStatus
import dev.panamax.api.Mempool
import dev.panamax.api.NetworkDevice
import dev.panamax.api.OwnedPacket
import dev.panamax.api.PacketBatch
import dev.panamax.api.PanamaxException
import java.lang.foreign.Arena
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * `use {}` on devices and arenas: NetworkDevice and Arena are AutoCloseable; a Mempool is not
 * closed by itself but with the arena it was created in, after which it hands out nothing.
 */
class UseTest {

  @Test
  fun useClosesTheDevice() {
    val dev = NetworkDevice.open("pair:kt-use:0").use { dev ->
      assertEquals("pair:kt-use:0", dev.address())
      dev
    }
    val e = assertThrows<IllegalStateException> { dev.receive(PacketBatch(1)) }
    assertEquals("device pair:kt-use:0 is closed", e.message)
    // The end was released: opening it again works (an open end refuses a second open).
    NetworkDevice.open("pair:kt-use:0").use { again -> assertEquals("pair", again.driverName()) }
  }

  @Test
  fun useClosesTheDeviceWhenTheBlockThrows() {
    var opened: NetworkDevice? = null
    val e = assertThrows<IllegalArgumentException> {
      NetworkDevice.open("pair:kt-throw:0").use { dev ->
        opened = dev
        throw IllegalArgumentException("failure inside use")
      }
    }
    assertEquals("failure inside use", e.message)
    assertThrows<IllegalStateException> { opened!!.receive(PacketBatch(1)) }
    NetworkDevice.open("pair:kt-throw:0").close()
  }

  @Test
  fun nestedUseClosesDevicesBeforeTheArenaSoInFlightBuffersComeBackFirst() {
    var held: OwnedPacket? = null
    var closedPool: Mempool? = null
    Arena.ofConfined().use { arena ->
      val pool = arena.mempool(entryCount = 16, name = "nested")
      closedPool = pool
      NetworkDevice.open("pair:kt-nested:0").use { a ->
        NetworkDevice.open("pair:kt-nested:1").use { b ->
          assertEquals(LinkStatus(true, 0), b.linkStatus())
          val batch = PacketBatch(16)
          pool.allocBatch(batch, 10, 60)
          assertEquals(10, a.transmit(batch))
          assertEquals(10, pool.inFlightCount(), "the link holds the packets")
        }
        assertEquals(LinkStatus.DOWN, a.linkStatus(), "the peer end was closed by use")
      }
      assertEquals(16, pool.freeCount(), "closing both ends returned the in-flight buffers")
      held = pool.alloc(60).also { it.putByte(0, 42) }
    }
    // The arena is closed: the pool hands out nothing more; a packet still held stays valid
    // until it is freed.
    val pool = closedPool!!
    val e = assertThrows<PanamaxException> { pool.alloc(60).free() }
    assertTrue(e.message!!.startsWith("mempool 'nested': alloc refused: the arena"), e.message)
    val packet = held!!
    assertEquals(42, packet.getByte(0).toInt())
    packet.free()
    assertEquals(16, pool.freeCount())
  }
}
