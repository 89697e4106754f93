package dev.panamax.micrometer;

import dev.panamax.api.DeviceStats;
import dev.panamax.api.NetworkDevice;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * Binds a device's counters as Micrometer function counters, tagged {@code device} (its
 * address) and {@code driver}:
 *
 * <ul>
 *   <li>{@code panamax.device.rx.packets}, {@code panamax.device.tx.packets} (packets);
 *   <li>{@code panamax.device.rx.bytes}, {@code panamax.device.tx.bytes} (bytes);
 *   <li>{@code panamax.device.rx.errors}, {@code panamax.device.tx.errors};
 *   <li>{@code panamax.device.rx.dropped}, {@code panamax.device.tx.dropped}.
 * </ul>
 *
 * <p>The registry reads them through {@link NetworkDevice#monitorStats()}, which is safe from
 * the registry's thread while the device's queues run. Usage:
 *
 * <pre>{@code
 * NetworkDevice device = NetworkDevice.open("0000:03:00.0");
 * new DeviceMetrics(device).bindTo(registry);
 * }</pre>
 */
public final class DeviceMetrics implements MeterBinder {
  private final NetworkDevice device;
  private final Tags tags;

  /**
   * Creates a binder for a device.
   *
   * @param device the device to observe; keep it referenced while it is open
   */
  public DeviceMetrics(NetworkDevice device) {
    this(device, Tags.empty());
  }

  /**
   * Creates a binder for a device with extra tags.
   *
   * @param device the device to observe; keep it referenced while it is open
   * @param tags tags added to every meter, besides {@code device} and {@code driver}
   */
  public DeviceMetrics(NetworkDevice device, Iterable<Tag> tags) {
    this.device = Objects.requireNonNull(device, "DeviceMetrics: device must not be null");
    this.tags = Tags.concat(tags, "device", device.address(), "driver", device.driverName());
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    counter(registry, "rx.packets", "packets", "Packets received", DeviceStats::rxPackets);
    counter(registry, "tx.packets", "packets", "Packets transmitted", DeviceStats::txPackets);
    counter(registry, "rx.bytes", BaseUnits.BYTES, "Bytes received", DeviceStats::rxBytes);
    counter(registry, "tx.bytes", BaseUnits.BYTES, "Bytes transmitted", DeviceStats::txBytes);
    counter(registry, "rx.errors", "errors", "Receive errors", DeviceStats::rxErrors);
    counter(registry, "tx.errors", "errors", "Transmit errors", DeviceStats::txErrors);
    counter(registry, "rx.dropped", "packets", "Frames dropped on receive",
        DeviceStats::rxDropped);
    counter(registry, "tx.dropped", "packets", "Frames dropped on transmit",
        DeviceStats::txDropped);
  }

  private void counter(MeterRegistry registry, String name, String unit, String description,
      ToLongFunction<DeviceStats> value) {
    FunctionCounter.builder("panamax.device." + name, device,
            d -> value.applyAsLong(d.monitorStats()))
        .baseUnit(unit)
        .description(description)
        .tags(tags)
        .register(registry);
  }
}
