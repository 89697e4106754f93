package dev.panamax.impl.observe;

import dev.panamax.api.DeviceStats;
import dev.panamax.api.Mempool;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import org.jspecify.annotations.Nullable;

/**
 * Where drivers report what happens to a device: each report becomes a JFR event (committed only
 * while a recording has it enabled), a {@link System.Logger} record of logger {@value
 * #LOGGER_NAME}, and, on open and close, the registration of the device's MXBean. None of these
 * methods runs on the data path except {@link #ownershipViolation}, which runs where an
 * exception is thrown anyway.
 *
 * <p>MXBeans go into the platform MBean server only once it exists: this class never builds it
 * (in the VM test bed that took 1.3–5 s of CPU, competing with the JIT in a program's first
 * seconds). A JMX agent ({@code -Dcom.sun.management.jmxremote}, {@code jcmd <pid>
 * ManagementAgent.start}, a tool such as jconsole attaching), a library or the application
 * builds it; devices open then are registered within {@value #POLL_MILLIS} ms, devices opened
 * later at once. Set the system property {@code panamax.jmx} to {@code false} to register no
 * MXBeans.
 */
public final class DeviceEvents {
  /** The name of the logger every device record goes to. */
  public static final String LOGGER_NAME = "dev.panamax";

  /** The JMX domain of the device MXBeans. */
  public static final String JMX_DOMAIN = "dev.panamax";

  private static final System.Logger LOG = System.getLogger(LOGGER_NAME);
  private static final boolean JMX = !"false".equals(System.getProperty("panamax.jmx"));
  private static final Set<MonitoredDevice> MONITORED = ConcurrentHashMap.newKeySet();
  /** How often the JMX thread looks for the platform MBean server while devices wait for it. */
  static final long POLL_MILLIS = 500;

  static {
    try {
      // Registering the periodic event starts JFR's machinery, which took seconds of start-up in
      // the VM test bed. So it is registered when JFR itself starts: at once if it runs already
      // (-XX:StartFlightRecording, an earlier Recording), else when a recording begins.
      FlightRecorder.addListener(new FlightRecorderListener() {
        @Override
        public void recorderInitialized(FlightRecorder recorder) {
          registerPeriodicEvent();
        }
      });
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, () -> "no periodic JFR statistics: " + e);
    }
  }

  private static void registerPeriodicEvent() {
    try {
      FlightRecorder.addPeriodicEvent(DeviceStatisticsEvent.class, Jfr::emitStatistics);
    } catch (RuntimeException e) {
      // A JVM without JFR (-XX:-FlightRecorder): the other reports still work.
      LOG.log(Level.DEBUG, () -> "no periodic JFR statistics: " + e);
    }
  }

  private DeviceEvents() {}

  /**
   * Returns the MXBean name of a device.
   *
   * @param address the device address
   * @return {@code dev.panamax:type=NetworkDevice,name="<address>"}
   */
  public static ObjectName objectName(String address) {
    try {
      return new ObjectName(JMX_DOMAIN + ":type=NetworkDevice,name=" + ObjectName.quote(address));
    } catch (JMException e) {
      throw new IllegalArgumentException("device " + address + ": no valid MXBean name: "
          + e.getMessage(), e);
    }
  }

  /**
   * Reports a device that was just opened: event, log record, MXBean registration, and the
   * device's statistics in the periodic JFR event from now on.
   *
   * @param device the open device
   */
  public static void opened(MonitoredDevice device) {
    MONITORED.add(device);
    if (FlightRecorder.isInitialized()) {
      Jfr.opened(device);
    }
    LOG.log(Level.DEBUG, () -> device.address() + ": opened by the " + device.driverName()
        + " driver, " + device.dmaDescription());
    if (JMX) {
      JmxThread.EXECUTOR.execute(JmxThread::sync);
    }
  }

  /**
   * Reports a device that was just closed.
   *
   * @param device the closed device
   */
  public static void closed(MonitoredDevice device) {
    MONITORED.remove(device);
    if (JMX) {
      // Waits for it: once close returns, the bean is gone and nothing refers to the device.
      final String address = device.address();
      finish(JmxThread.EXECUTOR.submit(() -> JmxThread.unregister(address)), address);
    }
    final DeviceStats stats = device.monitorStats();
    if (FlightRecorder.isInitialized()) {
      Jfr.closed(device, stats);
    }
    LOG.log(Level.DEBUG, () -> device.address() + ": closed, " + stats.rxPackets()
        + " packets received, " + stats.txPackets() + " transmitted");
  }

  /**
   * Reports a link that went up or down.
   *
   * @param device the device
   * @param up the new state
   */
  public static void linkChanged(MonitoredDevice device, boolean up) {
    link(device, up, up ? "link up" : "link down");
    LOG.log(Level.INFO, () -> device.address() + ": link " + (up ? "up" : "down"));
  }

  /**
   * Reports a device that stopped answering.
   *
   * @param device the device
   * @param evidence what showed it
   */
  public static void gone(MonitoredDevice device, String evidence) {
    link(device, false, "stopped answering: " + evidence);
    LOG.log(Level.WARNING, () -> device.address() + ": the device stopped answering ("
        + evidence + ")");
  }

  private static void link(MonitoredDevice device, boolean up, String detail) {
    if (FlightRecorder.isInitialized()) {
      Jfr.link(device, up, detail);
    }
  }

  /**
   * Reports a device reset outside its open sequence.
   *
   * @param address the device address
   * @param reason why, and what was done
   */
  public static void reset(String address, String reason) {
    if (FlightRecorder.isInitialized()) {
      Jfr.reset(address, reason);
    }
    LOG.log(Level.INFO, () -> address + ": reset: " + reason);
  }

  /**
   * Logs a fallback: the library took another way than the one asked for, and why.
   *
   * @param address the device address
   * @param what the fallback, in one line
   */
  public static void fallback(String address, String what) {
    LOG.log(Level.WARNING, () -> address + ": " + what);
  }

  /**
   * Logs a change of a device's driver binding (bind to vfio-pci, back to the kernel driver).
   *
   * @param line the step done, naming the device
   */
  public static void binding(String line) {
    LOG.log(Level.INFO, line);
  }

  /**
   * Reports a packet handle used after it was consumed; called where the exception is built.
   *
   * @param pool the buffer's pool name
   * @param buffer the buffer index in its pool
   * @param operation the call that was refused
   * @param consumedBy the call that consumed the handle before
   */
  public static void ownershipViolation(String pool, int buffer, String operation, String consumedBy) {
    if (FlightRecorder.isInitialized()) {
      Jfr.ownershipViolation(pool, buffer, operation, consumedBy);
    }
    LOG.log(Level.DEBUG, () -> "pool '" + pool + "' buffer #" + buffer + ": " + operation
        + " after it was consumed by " + consumedBy);
  }

  /**
   * The one thread that registers and unregisters MXBeans, in the order devices open and close,
   * so that an open never waits for JMX. Its state is confined to it.
   */
  private static final class JmxThread {
    static final ScheduledExecutorService EXECUTOR = Executors.newSingleThreadScheduledExecutor(
        task -> {
          final Thread thread = new Thread(task, "panamax-jmx");
          thread.setDaemon(true);
          return thread;
        });
    /** Addresses whose bean is in the platform server. */
    private static final Set<String> REGISTERED = new HashSet<>();
    private static @Nullable MBeanServer server;
    private static boolean pollScheduled;

    /**
     * Registers every open device that has no bean yet, if the platform MBean server exists;
     * else looks again in {@value #POLL_MILLIS} ms while any device is open.
     */
    static void sync() {
      final MBeanServer platform = platformServerIfBuilt();
      if (platform == null) {
        if (!pollScheduled && !MONITORED.isEmpty()) {
          pollScheduled = true;
          EXECUTOR.schedule(JmxThread::poll, POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
        return;
      }
      for (MonitoredDevice device : MONITORED) {
        if (REGISTERED.add(device.address())) {
          register(platform, device);
        }
      }
    }

    private static void poll() {
      pollScheduled = false;
      sync();
    }

    /**
     * The platform MBean server if anything has built one; null, without building it, if not.
     * {@link MBeanServerFactory#findMBeanServer} lists the servers made through the factory,
     * which is how the platform server is made. Once any server exists, the JMX machinery is
     * loaded, so asking for the platform server then is cheap.
     */
    private static @Nullable MBeanServer platformServerIfBuilt() {
      if (server == null && !MBeanServerFactory.findMBeanServer(null).isEmpty()) {
        server = ManagementFactory.getPlatformMBeanServer();
      }
      return server;
    }

    private static void register(MBeanServer platform, MonitoredDevice device) {
      try {
        platform.registerMBean(new NetworkDeviceBean(device), objectName(device.address()));
      } catch (JMException | RuntimeException e) {
        // Monitoring never fails an open: say why the bean is missing and go on.
        LOG.log(Level.WARNING, () -> device.address() + ": no MXBean registered: " + e);
      }
    }

    static void unregister(String address) {
      if (!REGISTERED.remove(address) || server == null) {
        return;
      }
      try {
        final ObjectName name = objectName(address);
        if (server.isRegistered(name)) {
          server.unregisterMBean(name);
        }
      } catch (JMException | RuntimeException e) {
        LOG.log(Level.WARNING, () -> address + ": MXBean not unregistered: " + e);
      }
    }
  }

  /** Waits for a JMX task of a closing device; an interrupt ends the wait and stays set. */
  private static void finish(Future<?> task, String address) {
    try {
      task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.log(Level.WARNING, () -> address + ": interrupted while its MXBean was unregistered");
    } catch (ExecutionException e) {
      LOG.log(Level.WARNING, () -> address + ": MXBean not unregistered: " + e.getCause());
    }
  }

  /**
   * Waits until every MXBean registration and unregistration queued so far is done.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  static void awaitJmx() throws InterruptedException {
    try {
      JmxThread.EXECUTOR.submit(() -> {}).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The JFR events, in a class of their own: loading an event class sets up JFR's metadata, which
   * took about 2 s of a program's start in the VM test bed, so nothing here is loaded until JFR
   * runs (a recording started, at launch or later). Events of an earlier moment would have no
   * recording to go to anyway.
   */
  private static final class Jfr {
    private Jfr() {}

    static void opened(MonitoredDevice device) {
      final DeviceOpenedEvent event = new DeviceOpenedEvent();
      if (event.shouldCommit()) {
        event.device = device.address();
        event.driver = device.driverName();
        event.dma = device.dmaDescription();
        event.rxQueues = device.rxQueueCount();
        event.txQueues = device.txQueueCount();
        event.commit();
      }
    }

    static void closed(MonitoredDevice device, DeviceStats stats) {
      final DeviceClosedEvent event = new DeviceClosedEvent();
      if (event.shouldCommit()) {
        event.device = device.address();
        event.driver = device.driverName();
        event.rxPackets = stats.rxPackets();
        event.txPackets = stats.txPackets();
        event.commit();
      }
    }

    static void link(MonitoredDevice device, boolean up, String detail) {
      final LinkChangedEvent event = new LinkChangedEvent();
      if (event.shouldCommit()) {
        event.device = device.address();
        event.up = up;
        event.detail = detail;
        event.commit();
      }
    }

    static void reset(String address, String reason) {
      final DeviceResetEvent event = new DeviceResetEvent();
      if (event.shouldCommit()) {
        event.device = address;
        event.reason = reason;
        event.commit();
      }
    }

    static void ownershipViolation(String pool, int buffer, String operation, String consumedBy) {
      final OwnershipViolationEvent event = new OwnershipViolationEvent();
      if (event.shouldCommit()) {
        event.pool = pool;
        event.buffer = buffer;
        event.operation = operation;
        event.consumedBy = consumedBy;
        event.commit();
      }
    }

    /** The periodic hook: one statistics event per open device and one per queue. */
    static void emitStatistics() {
      for (MonitoredDevice device : MONITORED) {
        final DeviceStats stats = device.monitorStats();
        final DeviceStatisticsEvent event = new DeviceStatisticsEvent();
        event.device = device.address();
        event.driver = device.driverName();
        event.linkUp = device.monitorLinkUp();
        event.rxPackets = stats.rxPackets();
        event.rxBytes = stats.rxBytes();
        event.txPackets = stats.txPackets();
        event.txBytes = stats.txBytes();
        event.rxErrors = stats.rxErrors();
        event.txErrors = stats.txErrors();
        event.rxDropped = stats.rxDropped();
        event.txDropped = stats.txDropped();
        event.commit();
        final int queues = Math.max(device.rxQueueCount(), device.txQueueCount());
        for (int q = 0; q < queues; q++) {
          emitQueue(device.address(), device.queueFigures(q));
        }
      }
    }

    private static void emitQueue(String address, QueueFigures figures) {
      final QueueStatisticsEvent event = new QueueStatisticsEvent();
      if (!event.shouldCommit()) {
        return;
      }
      event.device = address;
      event.queue = figures.queue();
      event.rxRingSize = figures.rxRingSize();
      event.rxRingUsed = figures.rxRingUsed();
      event.txRingSize = figures.txRingSize();
      event.txRingUsed = figures.txRingUsed();
      final Mempool pool = figures.rxPool();
      if (pool != null) {
        event.mempool = pool.name();
        event.mempoolCapacity = pool.capacity();
        event.mempoolFree = pool.freeCount();
        event.mempoolOwned = pool.ownedCount();
        event.mempoolInFlight = pool.inFlightCount();
      }
      event.commit();
    }
  }
}
