package dev.panamax.kotlin.flows

import dev.panamax.api.DeviceOptions
import dev.panamax.api.NetworkDevice
import dev.panamax.kotlin.IP_PROTOCOL_UDP
import dev.panamax.kotlin.Tuple
import dev.panamax.kotlin.mempool
import dev.panamax.kotlin.sendFrames
import dev.panamax.kotlin.writeArp
import dev.panamax.kotlin.writeIpv4
import java.io.ByteArrayOutputStream
import java.io.PrintStream
import java.lang.foreign.Arena
import java.nio.charset.StandardCharsets
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** The flows command in-process on in-memory devices: what it prints and its exit status. */
class FlowsCommandTest {
  private data class Result(val code: Int, val out: String, val err: String)

  private fun run(vararg args: String): Result {
    val out = ByteArrayOutputStream()
    val err = ByteArrayOutputStream()
    val code = FlowsCommand.run(PrintStream(out), PrintStream(err), *args)
    return Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8))
  }

  /**
   * Queues traffic on the link [name] (end 1 sends; the ring holds all of it), runs the command
   * on end 0, then closes end 1.
   */
  private fun withTraffic(name: String, packetsPerPort: List<Int>, arp: Int, vararg args: String): Result =
    Arena.ofConfined().use { arena ->
      val pool = arena.mempool(entryCount = 2048, name = "cmd")
      NetworkDevice.open("pair:$name:1", DeviceOptions.defaults().withRingSize(2048)).use { sender ->
        packetsPerPort.forEachIndexed { i, n ->
          sendFrames(sender, pool, n, 60) { it.writeIpv4(Tuple(IP_PROTOCOL_UDP, "10.0.0.1", "10.0.0.2", 42 + i, 1337)) }
        }
        sendFrames(sender, pool, arp, 60) { it.writeArp() }
        run("pair:$name:0", *args)
      }
    }

  @Test
  fun printsExactCountsPerFlowAndTheTopFlowsInOrder() {
    val r = withTraffic("kt-cmd", listOf(100, 300, 150, 250), 20, "--count", "820", "--interval", "0")
    assertEquals(0, r.code, r.out + r.err)
    assertTrue(r.out.startsWith("flows on pair:kt-cmd:0 (pair, "), r.out)
    assertTrue(
      r.out.contains(
        "flows summary: 4 flows, 820 packets 49200 bytes (800 IPv4, 20 other, 0 untracked);" +
          " device counters: rx 820 packets 49200 bytes, 0 errors\n",
      ),
      r.out,
    )
    val top = r.out.substringAfter("top 4 of 4 flows at the end (by packets, then bytes):\n").lines().take(4)
    assertEquals(
      listOf(
        "   1. udp 10.0.0.1:43 -> 10.0.0.2:1337                    300 packets        18000 bytes",
        "   2. udp 10.0.0.1:45 -> 10.0.0.2:1337                    250 packets        15000 bytes",
        "   3. udp 10.0.0.1:44 -> 10.0.0.2:1337                    150 packets         9000 bytes",
        "   4. udp 10.0.0.1:42 -> 10.0.0.2:1337                    100 packets         6000 bytes",
      ),
      top,
    )
    assertTrue(Regex("flows: \\d+ B allocated in the data path over 820 packets").containsMatchIn(r.out), r.out)
    assertFalse(r.out.contains(" RX "), "--interval 0 prints no periodic report")
  }

  @Test
  fun topLimitsTheListAndIntervalPrintsPeriodicReports() {
    val r = withTraffic("kt-top", listOf(30, 20, 10), 0, "--top", "2", "--interval", "1", "--seconds", "2")
    assertEquals(0, r.code, r.out + r.err)
    assertTrue(r.out.contains("top 2 of 3 flows at the end"), r.out)
    assertEquals(2, r.out.substringAfter("flows at the end").lines().count { it.matches(Regex(" +\\d\\. .*")) })
    // One report after about a second: the device's rates, then the top flows so far.
    assertTrue(Regex("pair:kt-top:0 RX [0-9.]+ [kMG]?pps [0-9.]+ [kMG]?bit/s \\| TX").containsMatchIn(r.out), r.out)
    assertTrue(Regex("top 2 of 3 flows after 1\\.\\d s").containsMatchIn(r.out), r.out)
  }

  @Test
  fun idleStopsOnceTrafficStops() {
    val start = System.nanoTime()
    val r = withTraffic("kt-idle", listOf(5), 0, "--idle", "1", "--seconds", "30", "--interval", "0")
    val seconds = (System.nanoTime() - start) / 1e9
    assertEquals(0, r.code, r.out + r.err)
    assertTrue(seconds < 10, "stopped after $seconds s, not at --seconds 30")
    assertTrue(r.out.contains("flows summary: 1 flows, 5 packets"), r.out)
  }

  @Test
  fun fewerFramesThanCountGiveExitStatus3() {
    val r = withTraffic("kt-short", listOf(10), 0, "--count", "11", "--seconds", "1", "--interval", "0")
    assertEquals(3, r.code, r.out + r.err)
    assertTrue(r.out.contains("flows summary: 1 flows, 10 packets 600 bytes"), r.out)
  }

  @Test
  fun badDeviceGivesOneLineNamingDeviceAndStep() {
    val r = run("eth0")
    assertEquals(1, r.code)
    assertTrue(r.err.startsWith("panamax flows: eth0: parse device spec:"), r.err)
    assertEquals(1, r.err.trim().lines().size, r.err)
    assertFalse(r.err.contains("\tat "), r.err)
  }

  @Test
  fun badOptionsAreRefused() {
    val negative = run("null:kt-bad", "--top", "-1")
    assertEquals(1, negative.code)
    assertEquals("panamax flows: --top -1: must be between 0 and 1048576 (the most flows the table keeps)\n", negative.err)
    val unknown = run("null:kt-bad", "--frobnicate")
    assertEquals(2, unknown.code)
    assertEquals("panamax flows: Unknown option: '--frobnicate' (see 'panamax flows --help')\n", unknown.err)
    val missing = run()
    assertEquals(2, missing.code)
    assertEquals("panamax flows: Missing required parameter: 'DEVICE' (see 'panamax flows --help')\n", missing.err)
    val long = run("null:kt-bad", "--count", "9".repeat(300))
    assertEquals(2, long.code)
    assertEquals(
      "panamax flows: Invalid value for option '--count': '${"9".repeat(80)}…(300 chars)' is not a long" +
        " (see 'panamax flows --help')\n",
      long.err,
    )
  }

  @Test
  fun everyOptionIsCheckedBeforeTheDeviceIsOpened() {
    val limits = mapOf(
      listOf("--count", "-1") to "--count -1: must be at least 0",
      listOf("--seconds", "-1") to "--seconds -1: must be between 0 and 1000000000 (about 31 years)",
      listOf("--idle", "-1") to "--idle -1: must be between 0 and 1000000000 (about 31 years)",
      listOf("--interval", "1000000001") to "--interval 1000000001: must be between 0 and 1000000000 (about 31 years)",
      listOf("--top", "1048577") to "--top 1048577: must be between 0 and 1048576 (the most flows the table keeps)",
      listOf("--batch", "0") to "--batch 0: must be between 1 and 4096 (the device's receive buffers)",
      listOf("--batch", "4097") to "--batch 4097: must be between 1 and 4096 (the device's receive buffers)",
      listOf("--queues", "0") to "--queues 0: must be between 1 and 16 (the most RSS spreads over)",
      listOf("--queues", "17") to "--queues 17: must be between 1 and 16 (the most RSS spreads over)",
    )
    // The test holds the device: had the command opened it, it would have said "already open".
    NetworkDevice.open("pair:kt-opt:0").use {
      for ((args, message) in limits) {
        val r = run("pair:kt-opt:0", *args.toTypedArray())
        assertEquals(1, r.code, r.err)
        assertEquals("panamax flows: $message\n", r.err)
        assertEquals("", r.out)
      }
    }
  }

  @Test
  fun aDeviceWithOneReceiveQueueRefusesTwoWithOneLine() {
    val r = run("null:kt-q", "--queues", "2", "--count", "10")
    assertEquals(1, r.code, r.out + r.err)
    assertEquals(
      "panamax flows: null:kt-q: check options: rxQueues 2: must be between 1 and 1 (the null driver" +
        " drives 1 receive queue)\n",
      r.err,
    )
    assertEquals("", r.out)
  }
}
