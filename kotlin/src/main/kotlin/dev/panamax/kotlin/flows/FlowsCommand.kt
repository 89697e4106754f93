package dev.panamax.kotlin.flows

import dev.panamax.api.DeviceStats
import dev.panamax.api.NetworkDevice
import dev.panamax.api.PanamaxException
import dev.panamax.kotlin.minus
import java.io.PrintStream
import java.io.PrintWriter
import java.lang.management.ManagementFactory
import java.nio.charset.StandardCharsets
import java.util.Locale
import java.util.concurrent.Callable
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.locks.LockSupport
import kotlin.system.exitProcess
import picocli.CommandLine
import picocli.CommandLine.Command
import picocli.CommandLine.Option
import picocli.CommandLine.Parameters

/**
 * `panamax flows DEVICE`: counts packets and bytes per IPv4 5-tuple and prints the top flows
 * every `--interval` seconds and at the end.
 *
 * @param out where reports go (flushed per line)
 */
@Command(
  name = "flows",
  mixinStandardHelpOptions = true,
  version = ["panamax flows 0.1.0"],
  description = [
    "Count packets and bytes per IPv4 5-tuple (protocol, addresses, ports) and print the top" +
      " flows every --interval seconds and at the end. Exit status 0, or 3 if --count frames" +
      " did not arrive in time.",
  ],
)
class FlowsCommand(private val out: PrintStream) : Callable<Int> {
  @Parameters(index = "0", paramLabel = "DEVICE", description = ["PCI address, pair:NAME:0|1 or null:NAME"])
  private var device: String = ""

  @Option(names = ["-n", "--count"], description = ["stop after N frames, 0 = until --seconds"])
  private var count: Long = 0

  @Option(names = ["-t", "--seconds"], description = ["stop after this many seconds, 0 = never (default: \${DEFAULT-VALUE})"])
  private var seconds: Long = 60

  @Option(
    names = ["--idle"],
    description = ["stop after this many seconds without a frame once frames have arrived, 0 = never"],
  )
  private var idle: Long = 0

  @Option(names = ["--top"], description = ["flows to print (default: \${DEFAULT-VALUE})"])
  private var top: Int = 10

  @Option(names = ["--interval"], description = ["seconds between reports, 0 = only at the end (default: \${DEFAULT-VALUE})"])
  private var interval: Long = 5

  @Option(names = ["--promisc"], description = ["receive frames for any destination"])
  private var promiscuous: Boolean = false

  @Option(names = ["-b", "--batch"], description = ["packets per receive call (default: \${DEFAULT-VALUE})"])
  private var batch: Int = 32

  @Option(
    names = ["--backoff"],
    description = ["when idle, yield and park instead of busy polling (for CPUs shared by several apps)"],
  )
  private var backoff: Boolean = false

  override fun call(): Int {
    require(top >= 0) { "--top must not be negative, got $top" }
    require(count >= 0 && seconds >= 0 && idle >= 0 && interval >= 0) {
      "--count, --seconds, --idle and --interval must not be negative"
    }
    // The signal handler first: Ctrl-C or SIGTERM during the open still ends in a clean close.
    StopSignal().use { stop -> return monitor(stop) }
  }

  private fun monitor(stop: StopSignal): Int {
    NetworkDevice.open(device).use { dev ->
      if (promiscuous) {
        dev.setPromiscuous(true)
      }
      val monitor = FlowMonitor(dev, batch)
      out.println(
        "flows on ${dev.address()} (${dev.driverName()}, ${dev.macAddress()}, link ${dev.linkStatus()}," +
          " promiscuous ${dev.isPromiscuous}); top $top flows " + if (interval > 0) "every $interval s" else "at the end",
      )
      val meter = AllocationMeter()
      val begin = System.nanoTime()
      val deadline = if (seconds > 0) begin + seconds * NANOS else Long.MAX_VALUE
      val intervalNanos = if (interval > 0) interval * NANOS else Long.MAX_VALUE
      var nextReport = if (interval > 0) begin + intervalNanos else Long.MAX_VALUE
      var lastStats = dev.stats()
      var lastFrame = begin
      var idleRounds = 0
      var now = begin
      while (!stop.requested && (count == 0L || monitor.packets < count) && now < deadline) {
        meter.begin()
        val received = monitor.poll()
        meter.end()
        now = System.nanoTime()
        if (received > 0) {
          lastFrame = now
          idleRounds = 0
        } else if (backoff) {
          idleRounds = idleWait(idleRounds)
        }
        if (now >= nextReport) {
          nextReport = now + intervalNanos
          val stats = dev.stats()
          out.println((stats - lastStats).formatRates())
          lastStats = stats
          printTop(monitor, "after %.1f s".format(Locale.ROOT, (now - begin) / 1e9))
        }
        if (idle > 0 && monitor.packets > 0 && now - lastFrame > idle * NANOS) {
          break
        }
      }
      printSummary(monitor, dev.stats(), stop.requested)
      printTop(monitor, "at the end")
      out.println("flows: " + meter.perPacket(monitor.packets))
      return if (count == 0L || monitor.packets >= count) 0 else 3
    }
  }

  private fun printSummary(monitor: FlowMonitor, total: DeviceStats, stopped: Boolean) {
    val table = monitor.table
    out.println(
      "flows summary: ${table.size} flows, ${monitor.packets} packets ${monitor.bytes} bytes" +
        " (${monitor.packets - monitor.otherPackets} IPv4, ${monitor.otherPackets} other," +
        " ${table.untrackedPackets} untracked)" + (if (stopped) ", stopped by signal" else "") +
        "; device counters: rx ${total.rxPackets()} packets" +
        " ${total.rxBytes()} bytes, ${total.rxErrors()} errors",
    )
  }

  private fun printTop(monitor: FlowMonitor, label: String) {
    val flows = monitor.table.top(top)
    out.println("top ${flows.size} of ${monitor.table.size} flows $label (by packets, then bytes):")
    flows.forEachIndexed { i, flow ->
      out.println(
        String.format(Locale.ROOT, "%4d. %-44s %10d packets %12d bytes", i + 1, flow.describe(), flow.packets, flow.bytes),
      )
    }
  }

  /** Spins, then yields, then parks for 50 µs, as the idle rounds add up; returns the new count. */
  private fun idleWait(rounds: Int): Int {
    when {
      rounds < 100 -> Thread.onSpinWait()
      rounds < 300 -> Thread.yield()
      else -> LockSupport.parkNanos(50_000)
    }
    return rounds + 1
  }

  /**
   * Lets Ctrl-C (SIGINT) or SIGTERM end the loop cleanly: a shutdown hook sets [requested], then
   * waits (at most 10 s) until [close] reports that the device is closed and the summary printed.
   */
  private class StopSignal : AutoCloseable {
    @Volatile
    var requested = false
      private set
    private val finished = CountDownLatch(1)
    private val hook = Thread({
      requested = true
      finished.await(10, TimeUnit.SECONDS)
    }, "panamax-flows-stop")

    init {
      Runtime.getRuntime().addShutdownHook(hook)
    }

    override fun close() {
      finished.countDown()
      try {
        Runtime.getRuntime().removeShutdownHook(hook)
      } catch (shuttingDown: IllegalStateException) {
        requested = true
      }
    }
  }

  /** Heap bytes the current thread allocates in measured sections (HotSpot's per-thread counter). */
  private class AllocationMeter {
    private val threads = ManagementFactory.getThreadMXBean() as com.sun.management.ThreadMXBean
    private var total = 0L
    private var start = 0L

    fun begin() {
      start = threads.currentThreadAllocatedBytes
    }

    fun end() {
      total += threads.currentThreadAllocatedBytes - start
    }

    fun perPacket(packets: Long): String = String.format(
      Locale.ROOT,
      "%d B allocated in the data path over %d packets (%.3f B/packet)",
      total,
      packets,
      if (packets == 0L) 0.0 else total.toDouble() / packets,
    )
  }

  /** Entry points. */
  companion object {
    private const val NANOS = 1_000_000_000L

    /**
     * Runs the command and exits with its status.
     *
     * @param args the command line after `flows`
     */
    @JvmStatic
    fun main(args: Array<String>) {
      exitProcess(run(System.out, System.err, *args))
    }

    /**
     * Runs the command and returns its exit status: 0, 1 for an error (one line on [err] naming
     * the device and the step), 2 for a usage error, 3 if `--count` frames did not arrive.
     *
     * @param out where reports go
     * @param err where errors go
     * @param args the command line after `flows`
     */
    fun run(out: PrintStream, err: PrintStream, vararg args: String): Int {
      val lines = PrintStream(out, true, StandardCharsets.UTF_8)
      val cli = CommandLine(FlowsCommand(lines))
      cli.out = PrintWriter(lines, true)
      cli.err = PrintWriter(PrintStream(err, true, StandardCharsets.UTF_8), true)
      cli.setExecutionExceptionHandler { ex, commandLine, _ ->
        if (ex is PanamaxException || ex is IllegalArgumentException) {
          commandLine.err.println("panamax flows: ${ex.message}")
          commandLine.err.flush()
          1
        } else {
          throw ex
        }
      }
      return cli.execute(*args)
    }
  }
}
