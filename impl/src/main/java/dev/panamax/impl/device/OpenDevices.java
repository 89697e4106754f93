package dev.panamax.impl.device;

import dev.panamax.impl.observe.DeviceEvents;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every device this process has open, held until it is closed. A device's rings reference the
 * buffers it may still read or write, and through them their pools' memory; holding the device
 * keeps all of it mapped while the device runs, also when the application drops its last
 * reference without closing it. Such a device runs until the process exits. Opening and closing
 * are reported to {@link DeviceEvents} (JFR, JMX, logging).
 */
public final class OpenDevices {
  private static final Set<BaseDevice> OPEN = ConcurrentHashMap.newKeySet();

  private OpenDevices() {}

  /**
   * Holds a freshly opened device until its {@link BaseDevice#close()} has stopped it.
   *
   * @param device the device
   * @param <D> its type
   * @return the device
   */
  public static <D extends BaseDevice> D hold(D device) {
    // The opening thread filled the receive rings; the queue threads take over from here.
    device.releaseThreads();
    OPEN.add(device);
    device.runAfterClose(() -> {
      OPEN.remove(device);
      DeviceEvents.closed(device);
    });
    DeviceEvents.opened(device);
    return device;
  }

  /**
   * Tells whether a device is held (open).
   *
   * @param device the device
   * @return {@code true} from open until close
   */
  public static boolean isHeld(BaseDevice device) {
    return OPEN.contains(device);
  }
}
