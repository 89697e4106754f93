package dev.panamax.impl.observe;

import dev.panamax.api.NetworkDevice;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

/**
 * A program that opens a device in a JVM with no MBean server, then builds the platform server
 * as a JMX agent or jconsole would, and prints what it sees at each step. Started by {@link
 * DeviceMXBeanTest} in a JVM of its own, since the test JVM's server may exist already.
 */
public final class LazyJmx {
  private LazyJmx() {}

  /**
   * Runs the program.
   *
   * @param args none
   * @throws Exception if a step fails
   */
  public static void main(String[] args) throws Exception {
    final ObjectName first = DeviceEvents.objectName("null:lazy-first");
    final ObjectName second = DeviceEvents.objectName("null:lazy-second");
    try (NetworkDevice a = NetworkDevice.open("null:lazy-first")) {
      DeviceEvents.awaitJmx();
      Thread.sleep(3 * DeviceEvents.POLL_MILLIS);
      DeviceEvents.awaitJmx();
      System.out.println("servers after open: " + MBeanServerFactory.findMBeanServer(null).size());
      final long built = System.nanoTime();
      final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      while (!server.isRegistered(first) && System.nanoTime() - built < 10_000_000_000L) {
        Thread.sleep(10);
      }
      System.out.println("first registered once the server exists: " + server.isRegistered(first)
          + (System.nanoTime() - built <= 4 * DeviceEvents.POLL_MILLIS * 1_000_000L
              ? " in time" : " late"));
      try (NetworkDevice b = NetworkDevice.open("null:lazy-second")) {
        DeviceEvents.awaitJmx();
        System.out.println("second registered on open: " + server.isRegistered(second));
      }
      System.out.println("second after close: " + server.isRegistered(second));
      System.out.println("first still: " + server.isRegistered(first)
          + ", driver " + server.getAttribute(first, "Driver"));
    }
    System.out.println("first after close: "
        + ManagementFactory.getPlatformMBeanServer().isRegistered(first));
  }
}
