package dev.panamax.impl.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.api.DeviceStats;
import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.PacketBatch;
import java.lang.foreign.Arena;
import java.util.List;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** Reads device MXBeans through the platform MBean server, as jconsole or a JMX exporter does. */
class DeviceMXBeanTest {
  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

  @Test
  void pairEndsAreRegisteredWhileOpenAndTheirAttributesMatchStats() throws Exception {
    final ObjectName nameA = new ObjectName("dev.panamax:type=NetworkDevice,name=\"pair:jmx:0\"");
    final ObjectName nameB = new ObjectName("dev.panamax:type=NetworkDevice,name=\"pair:jmx:1\"");
    try (Arena arena = Arena.ofConfined()) {
      final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 256, "jmx-pool");
      final PacketBatch held = new PacketBatch(4);
      try (NetworkDevice a = NetworkDevice.open("pair:jmx:0")) {
        DeviceEvents.awaitJmx(); // registration runs on the panamax-jmx thread
        assertTrue(server.isRegistered(nameA), "registered on open");
        assertEquals(false, server.getAttribute(nameA, "LinkUp"), "other end not open yet");
        try (NetworkDevice b = NetworkDevice.open("pair:jmx:1")) {
          Traffic.run(pool, a, b, 3000, held);
          DeviceEvents.awaitJmx();
          final DeviceStats sa = a.stats();
          final DeviceStats sb = b.stats();
          assertEquals("pair", server.getAttribute(nameA, "Driver"));
          assertEquals(true, server.getAttribute(nameA, "LinkUp"));
          assertEquals(sa.txPackets(), server.getAttribute(nameA, "TxPackets"));
          assertEquals(sa.txBytes(), server.getAttribute(nameA, "TxBytes"));
          assertEquals(sa.rxPackets(), server.getAttribute(nameA, "RxPackets"));
          assertEquals(sb.rxPackets(), server.getAttribute(nameB, "RxPackets"));
          assertEquals(sb.rxBytes(), server.getAttribute(nameB, "RxBytes"));
          assertEquals(sb.rxDropped(), server.getAttribute(nameB, "RxDropped"));
          assertEquals(sb.txErrors(), server.getAttribute(nameB, "TxErrors"));
          assertEquals(3000L, server.getAttribute(nameB, "RxPackets"));
          assertEquals(1, server.getAttribute(nameB, "RxQueues"));
          assertEquals(0, server.getAttribute(nameB, "RxRingUsed"));
          for (javax.management.MBeanAttributeInfo attr : server.getMBeanInfo(nameB).getAttributes()) {
            System.out.println(nameB + " " + attr.getName() + " = " + server.getAttribute(nameB, attr.getName()));
          }
        }
        assertFalse(server.isRegistered(nameB), "unregistered when close returns");
      }
      assertFalse(server.isRegistered(nameA), "unregistered when close returns");
      held.freeAll();
    }
  }

  /**
   * In a JVM of its own: opening a device builds no MBean server; once something builds the
   * platform server the open device's bean appears within the poll interval, a device opened
   * later is registered at once, and each bean is gone when its device closed.
   */
  @Test
  void beansWaitForThePlatformServerWithoutBuildingIt() throws Exception {
    final String out = ChildJvm.run(LazyJmx.class, List.of());
    assertEquals("""
        servers after open: 0
        first registered once the server exists: true in time
        second registered on open: true
        second after close: false
        first still: true, driver null
        first after close: false
        """, out);
  }

  @Test
  void nullDeviceReportsItsReceivePool() throws Exception {
    final ObjectName name = DeviceEvents.objectName("null:jmx");
    try (NetworkDevice device = NetworkDevice.open("null:jmx")) {
      DeviceEvents.awaitJmx();
      assertTrue(server.isRegistered(name), "registered on open");
      final PacketBatch batch = new PacketBatch(16);
      device.rxBatch(0, batch, 10);
      final int capacity = (Integer) server.getAttribute(name, "MempoolFree")
          + (Integer) server.getAttribute(name, "MempoolOwned")
          + (Integer) server.getAttribute(name, "MempoolInFlight");
      assertEquals(10, server.getAttribute(name, "MempoolOwned"));
      assertEquals(device.stats().rxPackets(), server.getAttribute(name, "RxPackets"));
      device.txBatch(0, batch);
      assertEquals(0, server.getAttribute(name, "MempoolOwned"));
      assertEquals(capacity, server.getAttribute(name, "MempoolFree"));
      assertEquals(10L, server.getAttribute(name, "TxPackets"));
    }
    assertFalse(server.isRegistered(name), "unregistered when close returns");
  }
}
