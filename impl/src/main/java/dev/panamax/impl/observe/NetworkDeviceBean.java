package dev.panamax.impl.observe;

import dev.panamax.api.Mempool;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/** The {@link NetworkDeviceMXBean} of one device. */
final class NetworkDeviceBean implements NetworkDeviceMXBean {
  private final MonitoredDevice device;

  NetworkDeviceBean(MonitoredDevice device) {
    this.device = device;
  }

  @Override
  public String getAddress() {
    return device.address();
  }

  @Override
  public String getDriver() {
    return device.driverName();
  }

  @Override
  public String getDmaMode() {
    return device.dmaDescription();
  }

  @Override
  public boolean isLinkUp() {
    return device.monitorLinkUp();
  }

  @Override
  public int getRxQueues() {
    return device.rxQueueCount();
  }

  @Override
  public int getTxQueues() {
    return device.txQueueCount();
  }

  @Override
  public long getRxPackets() {
    return device.monitorStats().rxPackets();
  }

  @Override
  public long getRxBytes() {
    return device.monitorStats().rxBytes();
  }

  @Override
  public long getTxPackets() {
    return device.monitorStats().txPackets();
  }

  @Override
  public long getTxBytes() {
    return device.monitorStats().txBytes();
  }

  @Override
  public long getRxErrors() {
    return device.monitorStats().rxErrors();
  }

  @Override
  public long getTxErrors() {
    return device.monitorStats().txErrors();
  }

  @Override
  public long getRxDropped() {
    return device.monitorStats().rxDropped();
  }

  @Override
  public long getTxDropped() {
    return device.monitorStats().txDropped();
  }

  @Override
  public int getRxRingUsed() {
    return sumQueues(QueueFigures::rxRingUsed);
  }

  @Override
  public int getRxRingSize() {
    return sumQueues(QueueFigures::rxRingSize);
  }

  @Override
  public int getTxRingUsed() {
    return sumQueues(QueueFigures::txRingUsed);
  }

  @Override
  public int getTxRingSize() {
    return sumQueues(QueueFigures::txRingSize);
  }

  @Override
  public int getMempoolFree() {
    return sumPools(Mempool::freeCount);
  }

  @Override
  public int getMempoolOwned() {
    return sumPools(Mempool::ownedCount);
  }

  @Override
  public int getMempoolInFlight() {
    return sumPools(Mempool::inFlightCount);
  }

  private int queues() {
    return Math.max(device.rxQueueCount(), device.txQueueCount());
  }

  private int sumQueues(ToIntFunction<QueueFigures> figure) {
    int sum = 0;
    for (int q = 0; q < queues(); q++) {
      sum += figure.applyAsInt(device.queueFigures(q));
    }
    return sum;
  }

  private int sumPools(ToIntFunction<Mempool> figure) {
    final Map<Mempool, Boolean> pools = new IdentityHashMap<>();
    for (int q = 0; q < queues(); q++) {
      final Mempool pool = device.queueFigures(q).rxPool();
      if (pool != null) {
        pools.put(pool, Boolean.TRUE);
      }
    }
    int sum = 0;
    for (Mempool pool : pools.keySet()) {
      sum += figure.applyAsInt(pool);
    }
    return sum;
  }
}
