package dev.panamax.kotlin

import dev.panamax.api.PacketOwnershipException
import java.lang.foreign.Arena
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotSame
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * Runs only in the strict-ownership surefire execution: there, a Kotlin use of a freed packet is
 * caught even after its buffer was handed out again, which the default mode cannot see.
 */
class StrictOwnershipKotlinTest {

  @Test
  fun strictModeIsOnInThisJvm() {
    assertEquals("true", System.getProperty("panamax.strictOwnership"), "run by the strict-ownership execution")
  }

  @Test
  @Suppress("ownership") // writes through a freed handle on purpose: the run-time check under test
  fun writingThroughAFreedHandleAfterReuseThrowsAndLeavesTheNewOwnersBytesAlone() {
    Arena.ofConfined().use { arena ->
      val pool = arena.mempool(entryCount = 1, name = "kt-strict")
      val stale = pool.alloc(60)
      stale.free()
      val owner = pool.alloc(60)
      owner[0] = 7
      assertNotSame(stale, owner)
      val e = assertThrows<PacketOwnershipException> { stale[0] = 42 }
      assertEquals(
        "putByte() on a packet the application no longer owns: pool 'kt-strict' buffer #0 was consumed" +
          " by free() and is back in its pool; strict ownership mode: this handle is stale, it was issued" +
          " at generation 1 and the buffer is now at generation 2 (handed out again since)",
        e.message,
      )
      assertEquals(7.toByte(), owner[0])
      owner.free()
    }
  }
}
