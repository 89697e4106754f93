package dev.panamax.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.panamax.api.DeviceStats;
import dev.panamax.api.DmaSource;
import dev.panamax.api.Mempool;
import dev.panamax.api.NetworkDevice;
import dev.panamax.api.OwnedPacket;
import dev.panamax.api.PacketBatch;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.foreign.Arena;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {
  @Test
  void deviceAndPoolMetersFollowTheCounters() {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Arena arena = Arena.ofConfined();
        NetworkDevice a = NetworkDevice.open("pair:mm:0");
        NetworkDevice b = NetworkDevice.open("pair:mm:1")) {
      final Mempool pool = Mempool.create(arena, DmaSource.virtualMemory(), 2048, 128, "mm-pool");
      new DeviceMetrics(a).bindTo(registry);
      new DeviceMetrics(b).bindTo(registry);
      new MempoolMetrics(pool).bindTo(registry);

      final PacketBatch batch = new PacketBatch(32);
      pool.allocBatch(batch, 20, 100);
      assertEquals(20.0, gauge(registry, "panamax.mempool.owned"));
      a.txBatch(0, batch);
      assertEquals(20.0, gauge(registry, "panamax.mempool.in.flight"));
      b.rxBatch(0, batch, 5);
      final OwnedPacket kept = batch.take();
      batch.freeAll();
      final DeviceStats sa = a.stats();
      final DeviceStats sb = b.stats();
      assertEquals((double) sa.txPackets(), count(registry, "panamax.device.tx.packets", "pair:mm:0"));
      assertEquals((double) sa.txBytes(), count(registry, "panamax.device.tx.bytes", "pair:mm:0"));
      assertEquals((double) sb.rxPackets(), count(registry, "panamax.device.rx.packets", "pair:mm:1"));
      assertEquals((double) sb.rxBytes(), count(registry, "panamax.device.rx.bytes", "pair:mm:1"));
      assertEquals((double) sb.rxDropped(), count(registry, "panamax.device.rx.dropped", "pair:mm:1"));
      assertEquals(5.0, count(registry, "panamax.device.rx.packets", "pair:mm:1"));
      assertEquals(1.0, gauge(registry, "panamax.mempool.owned"));
      assertEquals(15.0, gauge(registry, "panamax.mempool.in.flight"));
      assertEquals(112.0, gauge(registry, "panamax.mempool.free"));
      kept.free();
      System.out.println(registry.getMetersAsString());

      final List<String> names = registry.getMeters().stream()
          .map(m -> m.getId().getName() + " " + m.getId().getTag("device"))
          .sorted().distinct().toList();
      assertEquals(2 * 8 + 4, names.size(), names.toString());
      final Meter.Id id = registry.get("panamax.device.tx.bytes").tag("device", "pair:mm:0")
          .functionCounter().getId();
      assertEquals("bytes", id.getBaseUnit());
      assertEquals("pair", id.getTag("driver"));
    }
  }

  private static double count(SimpleMeterRegistry registry, String name, String device) {
    return registry.get(name).tag("device", device).functionCounter().count();
  }

  private static double gauge(SimpleMeterRegistry registry, String name) {
    return registry.get(name).tag("pool", "mm-pool").gauge().value();
  }
}
