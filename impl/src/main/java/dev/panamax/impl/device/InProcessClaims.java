package dev.panamax.impl.device;

import dev.panamax.api.DeviceException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The devices this process has open, by canonical name (a PCI address such as {@code
 * 0000:01:00.0}, {@code pair:NAME:0}, {@code null:NAME}): one driver instance per device, so a
 * second open of the same device in this process is refused before it can touch the first. For
 * PCI devices this comes before the system-wide claim ({@code dev.panamax.impl.pci.DeviceClaim}),
 * which another process sees.
 */
public final class InProcessClaims {
  private static final Set<String> OPEN = ConcurrentHashMap.newKeySet();

  private InProcessClaims() {}

  /**
   * Claims a device for this process.
   *
   * @param name the canonical device name
   * @throws DeviceException at step "claim device" if this process has it open already
   */
  public static void claim(String name) {
    if (!OPEN.add(name)) {
      throw new DeviceException(name, "claim device", "already open in this process; one"
          + " driver instance per device: close the first NetworkDevice or use another device");
    }
  }

  /**
   * Gives a claim up; does nothing if the name is not claimed.
   *
   * @param name the canonical device name
   */
  public static void release(String name) {
    OPEN.remove(name);
  }

  /**
   * Tells whether this process has the device open.
   *
   * @param name the canonical device name
   * @return {@code true} while claimed
   */
  public static boolean isClaimed(String name) {
    return OPEN.contains(name);
  }
}
