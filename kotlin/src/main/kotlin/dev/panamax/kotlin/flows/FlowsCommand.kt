package dev.panamax.kotlin.flows

import dev.panamax.api.DeviceOptions
import dev.panamax.api.DeviceStats
import dev.panamax.api.NetworkDevice
import dev.panamax.api.PanamaxException
import dev.panamax.api.Rss
import dev.panamax.kotlin.minus
import java.io.PrintStream
import java.io.PrintWriter
import java.lang.management.ManagementFactory
import java.nio.charset.StandardCharsets
import java.util.Locale
import java.util.concurrent.Callable
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicLong
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

  @Option(
    names = ["--queues"],
    description = [
      "receive queues, 1 to 16, one thread and one flow table each, merged at the end; the NIC" +
        " spreads flows over them with RSS (default: \${DEFAULT-VALUE})",
    ],
  )
  private var queues: Int = 1

  /**
   * Checks the options, opens the device and counts flows until a stop condition or a signal.
   *
   * @return the exit status: 0, or 3 if `--count` frames did not arrive in time
   */
  override fun call(): Int {
    validate()
    // The signal handler first: Ctrl-C or SIGTERM during the open still ends in a clean close.
    StopSignal().use { stop -> return monitor(stop) }
  }

  private fun monitor(stop: StopSignal): Int {
    NetworkDevice.open(device, DeviceOptions.defaults().withQueues(queues, 1)).use { dev ->
      if (promiscuous) {
        dev.setPromiscuous(true)
      }
      if (queues > 1) {
        return monitorQueues(stop, dev)
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

  /**
   * `--queues N`: thread q counts queue q's packets in its own [FlowMonitor] and table; this
   * thread prints the device's rates every interval and decides when to stop (from a packet
   * count the queue threads add each batch to). The tables are merged once the threads ended,
   * so the top flows are printed at the end only.
   */
  private fun monitorQueues(stop: StopSignal, dev: NetworkDevice): Int {
    val received = AtomicLong()
    val monitors = arrayOfNulls<FlowMonitor>(queues)
    val failures = arrayOfNulls<Throwable>(queues)
    val stopped = AtomicBoolean()
    val threads = (0 until queues).map { q ->
      Thread.ofPlatform().name("flows-q$q").start {
        try {
          val monitor = FlowMonitor(dev, batch, FlowTable(), q)
          monitors[q] = monitor
          var idleRounds = 0
          while (!stopped.get()) {
            val n = monitor.poll()
            if (n > 0) {
              received.addAndGet(n.toLong())
              idleRounds = 0
            } else if (backoff) {
              idleRounds = idleWait(idleRounds)
            } else {
              Thread.onSpinWait()
            }
          }
        } catch (e: Throwable) {
          failures[q] = e
        }
      }
    }
    out.println(
      "flows on ${dev.address()} (${dev.driverName()}, ${dev.macAddress()}, link ${dev.linkStatus()}," +
        " promiscuous ${dev.isPromiscuous}), $queues queues; top $top flows at the end",
    )
    val begin = System.nanoTime()
    val deadline = if (seconds > 0) begin + seconds * NANOS else Long.MAX_VALUE
    val intervalNanos = if (interval > 0) interval * NANOS else Long.MAX_VALUE
    var nextReport = if (interval > 0) begin + intervalNanos else Long.MAX_VALUE
    var lastStats = dev.stats()
    var lastCount = 0L
    var lastFrame = begin
    var now = begin
    while (!stop.requested && failures.all { it == null } && (count == 0L || received.get() < count) &&
      now < deadline
    ) {
      LockSupport.parkNanos(10_000_000L)
      now = System.nanoTime()
      val r = received.get()
      if (r != lastCount) {
        lastCount = r
        lastFrame = now
      }
      if (now >= nextReport) {
        nextReport = now + intervalNanos
        val stats = dev.stats()
        out.println((stats - lastStats).formatRates())
        lastStats = stats
      }
      if (idle > 0 && r > 0 && now - lastFrame > idle * NANOS) {
        break
      }
    }
    stopped.set(true)
    threads.forEach { it.join() }
    failures.firstOrNull { it != null }?.let { throw it }
    val merged = FlowTable()
    var packets = 0L
    var bytes = 0L
    var other = 0L
    monitors.forEachIndexed { q, m ->
      val monitor = checkNotNull(m) { "queue $q has no monitor" }
      out.println(
        "flows queue $q: ${monitor.packets} packets, ${monitor.table.size} flows; device rx" +
          " ${dev.queueStats(q).rxPackets()} packets",
      )
      merged.addAll(monitor.table)
      packets += monitor.packets
      bytes += monitor.bytes
      other += monitor.otherPackets
    }
    printSummary(merged, packets, bytes, other, dev.stats(), stop.requested)
    printTop(merged, "at the end")
    return if (count == 0L || packets >= count) 0 else 3
  }

  /** Checks every option before the device is opened: one line naming the option, value and limit. */
  private fun validate() {
    checkRange("--count", count, 0, Long.MAX_VALUE)
    checkRange("--seconds", seconds, 0, MAX_SECONDS, "about 31 years")
    checkRange("--idle", idle, 0, MAX_SECONDS, "about 31 years")
    checkRange("--interval", interval, 0, MAX_SECONDS, "about 31 years")
    checkRange("--top", top.toLong(), 0, MAX_TOP.toLong(), "the most flows the table keeps")
    checkRange("--batch", batch.toLong(), 1, MAX_BATCH.toLong(), "the device's receive buffers")
    checkRange("--queues", queues.toLong(), 1, Rss.MAX_QUEUES.toLong(), "the most RSS spreads over")
  }

  private fun printSummary(monitor: FlowMonitor, total: DeviceStats, stopped: Boolean) =
    printSummary(monitor.table, monitor.packets, monitor.bytes, monitor.otherPackets, total, stopped)

  private fun printSummary(table: FlowTable, packets: Long, bytes: Long, otherPackets: Long, total: DeviceStats, stopped: Boolean) {
    out.println(
      "flows summary: ${table.size} flows, $packets packets $bytes bytes" +
        " (${packets - otherPackets} IPv4, $otherPackets other," +
        " ${table.untrackedPackets} untracked)" + (if (stopped) ", stopped by signal" else "") +
        "; device counters: rx ${total.rxPackets()} packets" +
        " ${total.rxBytes()} bytes, ${total.rxErrors()} errors",
    )
  }

  private fun printTop(monitor: FlowMonitor, label: String) = printTop(monitor.table, label)

  private fun printTop(table: FlowTable, label: String) {
    val flows = table.top(top)
    out.println("top ${flows.size} of ${table.size} flows $label (by packets, then bytes):")
    flows.forEachIndexed { i, flow ->
      out.println(
        String.format(Locale.ROOT, "%4d. %-44s %10d packets %12d bytes", i + 1, flow.describe(), flow.packets, flow.bytes),
      )
    }
  }

  /**
   * Spins, then yields, then parks for 50 µs, 100 µs, … up to 1 ms as the idle rounds add up;
   * returns the new count (which stops growing once the parks reach 1 ms).
   */
  private fun idleWait(rounds: Int): Int {
    when {
      rounds < SPINS -> Thread.onSpinWait()
      rounds < SPINS + YIELDS -> Thread.yield()
      // each idle park twice as long as the one before, 50 µs up to 1 ms (as Backoff in the apps)
      else -> LockSupport.parkNanos(minOf(FIRST_PARK_NANOS shl minOf(rounds - SPINS - YIELDS, 5), MAX_PARK_NANOS))
    }
    return minOf(rounds + 1, SPINS + YIELDS + 5)
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
    private const val SPINS = 100
    private const val YIELDS = 200
    private const val FIRST_PARK_NANOS = 50_000L
    private const val MAX_PARK_NANOS = 1_000_000L

    /** The longest run, idle or report interval in seconds: its nanoseconds fit a long. */
    const val MAX_SECONDS = 1_000_000_000L

    /** The largest --top: the most flows the table keeps. */
    const val MAX_TOP = 1 shl 20

    /** The largest --batch: the device's receive pool holds this many buffers. */
    const val MAX_BATCH = DeviceOptions.DEFAULT_BUFFER_COUNT

    /** Refuses a value outside [min, max] with one line naming the option, value and range. */
    private fun checkRange(option: String, value: Long, min: Long, max: Long, limit: String = "") {
      require(value in min..max) {
        if (max == Long.MAX_VALUE) {
          "$option $value: must be at least $min"
        } else {
          "$option $value: must be between $min and $max" + if (limit.isEmpty()) "" else " ($limit)"
        }
      }
    }

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
      cli.setParameterExceptionHandler { ex, _ ->
        val name = ex.commandLine.commandSpec.qualifiedName()
        ex.commandLine.err.println("panamax $name: ${oneLine(ex.message ?: "")} (see 'panamax $name --help')")
        ex.commandLine.err.flush()
        2
      }
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

    /** Cuts every quoted input in a message after 80 characters and keeps it on one line. */
    internal fun oneLine(message: String): String =
      Regex("'([^']*)'").replace(message) { m ->
        val text = m.groupValues[1]
        val shown = if (text.length > 80) text.take(80) + "…(${text.length} chars)" else text
        "'" + shown + "'"
      }.replace('\n', ' ').replace('\r', ' ')
  }
}
